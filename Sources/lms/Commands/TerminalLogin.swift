import CursesBackend
import Foundation
import LMSClient
import LearnerApp
import TerminalUI

/// The sign-in form on the real terminal. Returns false when the learner cancelled.
enum TerminalLogin {
    static func run(paths: Paths) async throws -> Bool {
        let theme = Theme.load(ThemeLocator.savedChoice(paths: paths) ?? "default", directories: ThemeLocator.directories(paths: paths))
        let backend = CursesBackend()
        defer { backend.close() }
        let terminal = Terminal(backend: backend)
        var form = LoginForm(server: LastServer(paths: paths).address())
        while true {
            if backend.takeSignal() != nil { return false }
            let snapshot = form
            terminal.draw { buffer in snapshot.render(into: &buffer, theme: theme, unicode: backend.capabilities.unicode, monochrome: backend.capabilities.colors == .monochrome) }
            guard let event = backend.nextEvent(timeoutMilliseconds: 100) else { continue }
            guard case .key(let key) = event else {
                terminal.invalidate()
                continue
            }
            switch form.handle(key) {
            case .cancel: return false
            case .none: continue
            case .submit:
                form.busy = true
                form.error = nil
                let busy = form
                terminal.draw { buffer in busy.render(into: &buffer, theme: theme, unicode: backend.capabilities.unicode, monochrome: backend.capabilities.colors == .monochrome) }
                let api = APIClient(server: form.server, credentials: nil, credentialStore: CredentialStore(paths: paths))
                do {
                    _ = try await api.login(email: form.email, password: form.password)
                    return true
                } catch {
                    form.busy = false
                    form.error = error.atSignIn(server: form.server)
                }
            }
        }
    }
}
