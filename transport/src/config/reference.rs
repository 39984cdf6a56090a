//! Registry names the way the CLI normalises them for credentials: the registry of an image
//! reference (`distribution/reference`'s `splitDockerDomain`), and the key its credentials are
//! stored under (`https://index.docker.io/v1/` for Docker Hub, the bare `host[:port]` otherwise).

/// The key Docker Hub's credentials are stored under.
pub const DOCKER_HUB_AUTH_KEY: &str = "https://index.docker.io/v1/";

/// The registry part of an image reference: `registry.example:5000/x:tag` →
/// `registry.example:5000`; `busybox`, `library/busybox`, `user/app` → `docker.io`. The first
/// component is a registry when it has a `.` or a `:`, is `localhost`, or has an upper-case
/// letter (which a repository name cannot have).
pub(crate) fn registry_of(image: &str) -> &str {
    match image.split_once('/') {
        Some((first, _))
            if first.contains(['.', ':']) || first == "localhost" || first.chars().any(|c| c.is_ascii_uppercase()) =>
        {
            first
        }
        _ => "docker.io",
    }
}

/// The CLI's `ConvertToHostname`: drops `http://` or `https://` and everything from the first
/// `/` on.
pub(crate) fn to_hostname(server: &str) -> &str {
    let s = server.strip_prefix("http://").or_else(|| server.strip_prefix("https://")).unwrap_or(server);
    s.split('/').next().unwrap_or(s)
}

/// The key credentials for `server` (a registry host, `host:port` or URL) are stored under:
/// Docker Hub's names (`docker.io`, `index.docker.io`, `registry-1.docker.io`, its v1 URL) give
/// [`DOCKER_HUB_AUTH_KEY`], anything else its hostname (`registry.example:5000`).
pub(crate) fn auth_key(server: &str) -> String {
    match to_hostname(server) {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB_AUTH_KEY.to_owned(),
        host => host.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registries_of_references() {
        for (image, reg) in [
            ("busybox", "docker.io"),
            ("library/busybox:1.36", "docker.io"),
            ("user/app", "docker.io"),
            ("docker.io/user/app", "docker.io"),
            ("index.docker.io/user/app", "index.docker.io"),
            ("registry.example:5000/x", "registry.example:5000"),
            ("registry.example/x/y@sha256:abc", "registry.example"),
            ("localhost/x", "localhost"),
            ("localhost:5000/x", "localhost:5000"),
            ("Host/x", "Host"),
            ("[::1]:5000/x", "[::1]:5000"),
        ] {
            assert_eq!(registry_of(image), reg, "{image}");
        }
    }

    #[test]
    fn auth_keys() {
        assert_eq!(auth_key("docker.io"), DOCKER_HUB_AUTH_KEY);
        assert_eq!(auth_key("index.docker.io"), DOCKER_HUB_AUTH_KEY);
        assert_eq!(auth_key("https://index.docker.io/v1/"), DOCKER_HUB_AUTH_KEY);
        assert_eq!(auth_key("registry.example:5000"), "registry.example:5000");
        assert_eq!(auth_key("https://registry.example:5000/v2/"), "registry.example:5000");
        assert_eq!(to_hostname("http://h:1/x"), "h:1");
    }
}
