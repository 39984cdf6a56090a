// Part of the real-daemon suite (included by `tests/daemon_suite.rs`): push, pull, login,
// distribution inspect and search against the two local registries `tests/daemon/registry.sh`
// starts on 127.0.0.1 (one with htpasswd, one open). Everything the daemon says about wrong
// credentials must reach the caller as a typed error carrying the daemon's message, and the
// password must never show in any error text, Debug output or log line.

/// The registries and the credentials of the htpasswd one.
struct Registries {
    auth: String,
    open: String,
    user: String,
    password: String,
}

impl Registries {
    fn from_env() -> Registries {
        Registries {
            auth: env("DOCKER_TEST_REGISTRY"),
            open: env("DOCKER_TEST_REGISTRY_OPEN"),
            user: env("DOCKER_TEST_REGISTRY_USER"),
            password: env("DOCKER_TEST_REGISTRY_PASSWORD"),
        }
    }

    fn credentials(&self, password: &str) -> models::AuthConfig {
        models::AuthConfig {
            username: Some(self.user.clone()),
            password: Some(password.into()),
            serveraddress: Some(self.auth.clone()),
            ..Default::default()
        }
    }

    fn wrong_password(&self) -> String {
        format!("wrong-{}", self.password)
    }

    /// Fails when an error's text or Debug shows either password (the right one, or the wrong
    /// one, which is the right one with a prefix).
    fn assert_no_secret(&self, what: &str, err: &api::Error) {
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(&self.password), "{what}: the password shows in the error: {text}");
        }
    }
}

/// Every item of a progress stream: what `pick` takes from the `Ok` items, then the first `Err`.
async fn drain<T: serde::de::DeserializeOwned, P>(
    mut stream: api::JsonStream<T>,
    pick: fn(&T) -> Option<P>,
) -> (Vec<P>, Option<api::Error>) {
    let mut statuses = Vec::new();
    while let Some(item) =
        tokio::time::timeout(Duration::from_secs(120), stream.next()).await.expect("progress stream ends")
    {
        match item {
            Ok(item) => statuses.extend(pick(&item)),
            Err(e) => return (statuses, Some(e)),
        }
    }
    (statuses, None)
}

fn push_status(item: &models::PushImageInfo) -> Option<String> {
    item.status.clone()
}

/// The `aux` of a push item (what was pushed: tag, digest, size), where it has one.
fn push_result(item: &models::PushImageInfo) -> Option<models::PushResult> {
    item.aux.clone()
}

fn create_status(item: &models::CreateImageInfo) -> Option<String> {
    item.status.clone()
}

impl Suite {
    async fn registry(&mut self) {
        let d = self.docker.clone();
        let reg = Registries::from_env();
        let repo = format!("{}/{PREFIX}/busybox", reg.auth);
        d.image_tag(
            &self.image,
            &api::ImageTagOptions { repo: Some(repo.clone()), tag: Some("v1".into()), ..Default::default() },
        )
        .await
        .expect("tag for the registry");

        // Login: right, then wrong credentials (the daemon asks the registry: 401, its words).
        let login = d.system_auth(&Default::default(), Some(&reg.credentials(&reg.password))).await.expect("login");
        let status = login.and_then(|l| l.status).unwrap_or_default();
        assert_eq!(status, "Login Succeeded");
        self.cov.hit("SystemAuth");
        let refused = d
            .system_auth(&Default::default(), Some(&reg.credentials(&reg.wrong_password())))
            .await
            .expect_err("a wrong password is refused");
        // Docker 20.10 answers 500 with the registry's status in its message.
        assert!(matches!(refused, api::Error::Api { .. }), "{refused:?}");
        assert!(refused.to_string().contains("401 Unauthorized"), "the daemon's message: {refused}");
        reg.assert_no_secret("SystemAuth", &refused);

        // Push with wrong credentials: the daemon's error arrives in the stream, typed.
        let wrong = api::ImagePushOptions {
            tag: Some("v1".into()),
            x_registry_auth: Some(reg.credentials(&reg.wrong_password())),
            ..Default::default()
        };
        let started = d.image_push(&repo, &wrong).await;
        let err = match started {
            Ok(stream) => drain(stream, push_status).await.1.expect("a push with a wrong password fails"),
            Err(e) => e,
        };
        assert!(matches!(&err, api::Error::Stream { .. } | api::Error::Api { .. }), "a typed daemon error: {err:?}");
        assert!(err.to_string().contains("unauthorized"), "the daemon's message: {err}");
        reg.assert_no_secret("ImagePush", &err);
        // Without credentials at all: Docker 20.10 refuses the request itself (400).
        let err =
            match d.image_push(&repo, &api::ImagePushOptions { tag: Some("v1".into()), ..Default::default() }).await {
                Ok(stream) => drain(stream, push_status).await.1.expect("a push without credentials fails"),
                Err(e) => e,
            };
        assert_eq!(err.status(), Some(400), "{err}");
        assert!(err.to_string().contains("missing X-Registry-Auth"), "the daemon's message: {err}");

        // Push with the right credentials.
        let right = api::ImagePushOptions {
            tag: Some("v1".into()),
            x_registry_auth: Some(reg.credentials(&reg.password)),
            ..Default::default()
        };
        // The options' Debug (what a log line of a caller would show) redacts the password.
        for text in [format!("{right:?}"), format!("{:?}", reg.credentials(&reg.password))] {
            assert!(!text.contains(&reg.password) && text.contains("<redacted>"), "Debug shows the password: {text}");
        }
        let (statuses, err) = drain(d.image_push(&repo, &right).await.expect("push"), push_status).await;
        assert!(err.is_none(), "push: {err:?}");
        assert!(statuses.iter().any(|s| s.starts_with("v1: digest: sha256:")), "push said {statuses:?}");
        self.cov.hit("ImagePush");
        let digest = d
            .image_inspect(&format!("{repo}:v1"), &Default::default())
            .await
            .expect("inspect pushed")
            .repo_digests
            .unwrap_or_default()
            .into_iter()
            .find(|r| r.starts_with(&repo))
            .expect("a repo digest after the push");
        // The same digest, typed, in the push's last item (`aux`).
        let (results, _) = drain(d.image_push(&repo, &right).await.expect("push again"), push_result).await;
        let result = results.last().expect("a push ends with aux");
        assert_eq!(result.tag.as_deref(), Some("v1"), "{result:?}");
        assert_eq!(result.digest.as_deref().map(|x| format!("{repo}@{x}")), Some(digest.clone()), "{result:?}");

        // Pull back by name and by digest, after removing the local tags.
        d.image_delete(&format!("{repo}:v1"), &Default::default()).await.expect("untag");
        let pull = |from_image: String, tag: Option<&str>, password: &str| api::ImageCreateOptions {
            from_image: Some(from_image),
            tag: tag.map(str::to_string),
            x_registry_auth: Some(reg.credentials(password)),
            ..Default::default()
        };
        let (statuses, err) = drain(
            d.image_create(&pull(repo.clone(), Some("v1"), &reg.password), None).await.expect("pull by name"),
            create_status,
        )
        .await;
        assert!(err.is_none(), "pull: {err:?}");
        assert!(statuses.iter().any(|s| s.starts_with("Digest: sha256:")), "pull said {statuses:?}");
        assert!(statuses.iter().any(|s| s.starts_with("Status: ")), "pull said {statuses:?}");
        let (statuses, err) = drain(
            d.image_create(&pull(digest.clone(), None, &reg.password), None).await.expect("pull by digest"),
            create_status,
        )
        .await;
        assert!(err.is_none(), "pull by digest: {err:?}");
        assert!(statuses.iter().any(|s| s.contains(&digest) || s.starts_with("Status: ")), "{statuses:?}");
        let pulled = d.image_inspect(&digest, &Default::default()).await.expect("inspect by digest");
        assert!(pulled.repo_digests.iter().flatten().any(|r| *r == digest), "{:?}", pulled.repo_digests);
        // A pull with a wrong password fails with the daemon's message.
        let err = match d.image_create(&pull(repo.clone(), Some("v1"), &reg.wrong_password()), None).await {
            Ok(stream) => drain(stream, create_status).await.1.expect("a pull with a wrong password fails"),
            Err(e) => e,
        };
        assert!(err.to_string().contains("unauthorized"), "the daemon's message: {err}");
        reg.assert_no_secret("ImageCreate", &err);

        // The open registry: distribution inspect (its request carries no credentials).
        let open_repo = format!("{}/{PREFIX}/busybox", reg.open);
        d.image_tag(
            &self.image,
            &api::ImageTagOptions { repo: Some(open_repo.clone()), tag: Some("v1".into()), ..Default::default() },
        )
        .await
        .expect("tag for the open registry");
        let (_, err) = drain(
            // no credentials, but the header is required: an empty AuthConfig
            d.image_push(
                &open_repo,
                &api::ImagePushOptions {
                    tag: Some("v1".into()),
                    x_registry_auth: Some(Default::default()),
                    ..Default::default()
                },
            )
            .await
            .expect("push to the open registry"),
            push_status,
        )
        .await;
        assert!(err.is_none(), "push (open): {err:?}");
        let inspected = d
            .distribution_inspect(&format!("{open_repo}:v1"), &Default::default())
            .await
            .expect("distribution inspect");
        let descriptor = inspected.descriptor.expect("descriptor");
        assert!(descriptor.digest.as_deref().is_some_and(|x| x.starts_with("sha256:")), "{descriptor:?}");
        assert!(descriptor.size.is_some_and(|s| s > 0), "{descriptor:?}");
        self.cov.hit("DistributionInspect");
        // The htpasswd registry refuses the same request without credentials.
        let err = d.distribution_inspect(&format!("{repo}:v1"), &Default::default()).await.expect_err("no credentials");
        assert!(err.to_string().contains("no basic auth credentials"), "the daemon's message: {err}");

        // Search: a distribution registry has no search API; the daemon's error, typed.
        let err =
            d.image_search(&format!("{}/busybox", reg.open), &Default::default()).await.expect_err("no search API");
        assert!(matches!(err, api::Error::Api { .. }), "{err:?}");
        assert!(err.to_string().contains("404"), "the daemon's message: {err}");
        self.cov.hit("ImageSearch");

        for tag in [format!("{repo}:v1"), format!("{open_repo}:v1"), digest] {
            let _ = d.image_delete(&tag, &Default::default()).await;
        }
        assert_no_secret_in_logs(&reg);
    }
}

/// The password never shows in a log line: the daemon's and both registries'.
fn assert_no_secret_in_logs(reg: &Registries) {
    let logs = [
        format!("{}/dockerd.log", env("DOCKER_TEST_TMP")),
        env("DOCKER_TEST_REGISTRY_LOG"),
        env("DOCKER_TEST_REGISTRY_OPEN_LOG"),
    ];
    for log in logs {
        let text = std::fs::read_to_string(&log).unwrap_or_else(|e| panic!("{log}: {e}"));
        assert!(!text.is_empty(), "{log} is empty");
        for (n, line) in text.lines().enumerate() {
            assert!(!line.contains(&reg.password), "{log}:{}: the password shows in a log line", n + 1);
        }
    }
}
