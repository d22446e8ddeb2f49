/// The one version number of lms and lms-server (`--version`, the client's User-Agent, the
/// server's /healthz). Bump it here only.
public enum LMSVersion {
    public static let current = "0.2.0"
}
