import Foundation
import Testing
import TerminalUI

@Suite("Theme: parsing, inheritance, fallbacks")
struct ThemeTests {
    private func load(_ name: String) throws -> Theme {
        Theme.load(name, directories: [try Locations.fixtures])
    }

    @Test func paletteNamesColoursAndModifiers() throws {
        let theme = try load("palette")
        #expect(theme.warnings.isEmpty, "\(theme.warnings)")
        #expect(theme.name == "palette")
        let ink = Color.rgb(0x10, 0x20, 0x30), paper = Color.rgb(0xF0, 0xE0, 0xD0)
        #expect(theme.style("ui.background") == Style(foreground: ink, background: paper))
        #expect(theme.style("ui.text") == Style(foreground: ink))
        #expect(theme.style("ui.title") == Style(foreground: .indexed(208), modifiers: [.bold, .underline]))
        #expect(theme.style("ui.selection") == Style(foreground: paper, background: .rgb(0, 0, 255), modifiers: [.reverse, .italic, .dim]))
        #expect(theme.style("ui.statusbar") == Style(foreground: .black, background: .white))
        #expect(theme.style("error") == Style(foreground: .brightRed))
        #expect(theme.style("warning") == Style(foreground: .yellow))  // names ignore case
        #expect(theme.style("free") == Style(foreground: .reset))
    }

    @Test("Lookup falls back along the dots, then to plain")
    func fallbackLookup() throws {
        let theme = try load("palette")
        #expect(theme.style("ui.statusbar.error") == theme.style("ui.statusbar"))
        #expect(theme.style("ui.statusbar.error.extra") == theme.style("ui.statusbar"))
        #expect(theme.style("ui.text.dim") == theme.style("ui.text"))
        #expect(theme.style("quiz.correct") == .plain)
        #expect(theme.style("") == .plain)
        let fallback = Theme.fallback
        #expect(fallback.style("ui.statusbar.error") == Style(foreground: .brightWhite, background: .red, modifiers: .bold))
        #expect(fallback.style("ui.statusbar.ok") == fallback.style("ui.statusbar"))
    }

    @Test("A child inherits its parent's styles, recoloured by its own palette")
    func inheritance() throws {
        let child = try load("child")
        #expect(child.warnings.isEmpty, "\(child.warnings)")
        #expect(child.name == "child")
        let newInk = Color.rgb(0xAA, 0xBB, 0xCC), paper = Color.rgb(0xF0, 0xE0, 0xD0)
        #expect(child.style("ui.background") == Style(foreground: newInk, background: paper))
        #expect(child.style("ui.text") == Style(foreground: newInk))
        #expect(child.style("ui.title") == Style(foreground: .indexed(208), modifiers: [.bold, .underline]))
        #expect(child.style("ui.statusbar") == Style(foreground: newInk, modifiers: .bold))
    }

    @Test("light inherits dark: dark's styles take light's palette")
    func lightInheritsDark() {
        let directories = [Locations.shippedThemes]
        let dark = Theme.load("dark", directories: directories)
        let light = Theme.load("light", directories: directories)
        #expect(light.warnings.isEmpty && dark.warnings.isEmpty)
        #expect(dark.style("ui.background") == Style(foreground: .rgb(0xC0, 0xCA, 0xF5), background: .rgb(0x1A, 0x1B, 0x26)))
        // Paper and ink, not dark's night sky.
        #expect(light.style("ui.background") == Style(foreground: .rgb(0x2E, 0x34, 0x40), background: .rgb(0xFA, 0xFA, 0xFA)))
        #expect(light.style("ui.title") == Style(foreground: .rgb(0x29, 0x52, 0xCC), modifiers: .bold))
        #expect(light.style("ui.help.key") == Style(foreground: .rgb(0x9A, 0x67, 0x00), modifiers: .bold))
        #expect(light.style("ui.selection") == Style(foreground: .rgb(0xFA, 0xFA, 0xFA), background: .rgb(0x29, 0x52, 0xCC), modifiers: .bold))
        // Every key dark defines, light has too.
        for key in Theme.knownKeys { #expect((dark.style(key) == .plain) == (light.style(key) == .plain), "\(key)") }
    }

    @Test func problemsAreWarningsNotFailures() throws {
        let theme = try load("warnings")
        let warnings = theme.warnings.joined(separator: "\n")
        #expect(warnings.contains("palette colour 'bad' is not a colour"))
        #expect(warnings.contains("unknown key 'ui.sidebar' ignored"))
        #expect(warnings.contains("'ui.title': 'not-a-colour' is not a colour"))
        #expect(warnings.contains("'ui.border': unknown field 'shade'"))
        #expect(warnings.contains("'ui.selection': unknown modifier blinking"))
        #expect(warnings.contains("'ui.input': expected a colour or a table"))
        #expect(warnings.contains("'error': '#12345' is not a colour"))
        #expect(theme.warnings.count == 7, "\(theme.warnings)")
        #expect(theme.warnings.allSatisfy { $0.hasPrefix("warnings: ") })
        // What was right still applies; what was wrong is absent (and falls back).
        #expect(theme.style("ui.text") == Style(foreground: .rgb(0, 255, 0)))
        #expect(theme.style("ui.title") == .plain)
        #expect(theme.style("error") == .plain)
    }

    @Test("Invalid TOML: the fallback theme with a warning, never a throw")
    func invalidTOML() throws {
        let theme = try load("broken")
        #expect(theme.name == Theme.fallback.name)
        #expect(theme.styles == Theme.fallback.styles)
        #expect(theme.warnings.count == 1)
        #expect(theme.warnings[0].contains("Theme 'broken' is not valid TOML"))
        #expect(theme.warnings[0].hasSuffix("using the built-in default"))
        #expect(throws: Theme.LoadError.self) { try Theme.parse(name: "x", toml: "= nope", resolve: { _ in nil }) }
    }

    @Test func missingFile() throws {
        let theme = try load("no-such-theme")
        #expect(theme.styles == Theme.fallback.styles)
        #expect(theme.warnings == ["Theme 'no-such-theme' was not found; using the built-in default"])
        let path = Theme.load("/nonexistent/folder/mine.toml", directories: [])
        #expect(path.styles == Theme.fallback.styles && path.warnings.count == 1)
        let none = Theme.load("default", directories: [])
        #expect(none.warnings.count == 1)
    }

    @Test func missingParent() throws {
        let theme = try load("orphan")
        #expect(theme.styles == Theme.fallback.styles)
        #expect(theme.warnings == ["Theme 'no-such-parent' was not found; using the built-in default"])
    }

    @Test("Inheritance cycles are detected")
    func cycles() throws {
        let a = try load("cycle-a")
        #expect(a.styles == Theme.fallback.styles)
        #expect(a.warnings == ["Theme 'cycle-a' inherits from itself; using the built-in default"])
        let selfParent = try load("self-parent")
        #expect(selfParent.warnings == ["Theme 'self-parent' inherits from itself; using the built-in default"])
        let themes = ["a": "inherits = \"b\"", "b": "inherits = \"c\"", "c": "inherits = \"a\""]
        #expect(throws: Theme.LoadError.inheritanceCycle("a")) {
            try Theme.parse(name: "a", toml: themes["a"]!, resolve: { themes[$0] })
        }
    }

    @Test func loadByPath() throws {
        let path = try Locations.fixtures.appendingPathComponent("palette.toml").path
        let theme = Theme.load(path, directories: [])
        #expect(theme.warnings.isEmpty)
        #expect(theme.style("ui.text") == Style(foreground: .rgb(0x10, 0x20, 0x30)))
    }

    @Test func firstDirectoryWins() throws {
        let fixtures = try Locations.fixtures
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("theme-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try "\"ui.text\" = \"red\"\n".write(to: scratch.appendingPathComponent("palette.toml"), atomically: true, encoding: .utf8)
        #expect(Theme.load("palette", directories: [scratch, fixtures]).style("ui.text") == Style(foreground: .red))
        #expect(Theme.load("palette", directories: [fixtures, scratch]).style("ui.text") == Style(foreground: .rgb(0x10, 0x20, 0x30)))
        #expect(Theme.available(in: [scratch, fixtures]).contains("palette"))
        #expect(Theme.available(in: [scratch]) == ["palette"])
    }

    @Test("The five shipped themes load without a single warning")
    func shippedThemes() {
        let directory = Locations.shippedThemes
        let names = Theme.available(in: [directory])
        #expect(names == ["dark", "default", "high-contrast", "light", "mono"])
        for name in names {
            let theme = Theme.load(name, directories: [directory])
            #expect(theme.warnings.isEmpty, "\(name): \(theme.warnings)")
            #expect(theme.name == name)
            #expect(!theme.styles.isEmpty, "\(name)")
            // Every key a shipped theme sets is one the app uses.
            #expect(Set(theme.styles.keys).isSubset(of: Theme.knownKeys), "\(name)")
        }
    }

    @Test func monoThemeHasNoColour() {
        let mono = Theme.load("mono", directories: [Locations.shippedThemes])
        for (key, style) in mono.styles {
            #expect(style.foreground == nil && style.background == nil, "\(key)")
        }
        #expect(mono.style("ui.selection").modifiers.contains(.reverse))
    }
}
