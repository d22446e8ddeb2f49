import Foundation

/// Text for a terminal that cannot show Unicode (a non-UTF-8 locale such as `LANG=C`): what has an
/// ASCII spelling gets it ("€" → "EUR ", "·" → "-", "é" → "e"), and anything else one visible "?"
/// per character, whatever its width.
public enum ASCIIFallback {
    public static func text(_ text: String) -> String {
        guard !isASCII(text) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if character.isASCII {
                result.append(character)
            } else if let spelled = spellings[character] {
                result += spelled
            } else {
                // Accented Latin letters keep their base letter; nothing else has an ASCII form.
                let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.filter(\.isASCII)
                result += base.isEmpty ? "?" : String(String.UnicodeScalarView(base))
            }
        }
        return result
    }

    public static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    static let spellings: [Character: String] = [
        "€": "EUR ", "£": "GBP ", "¥": "JPY ", "·": "-", "—": "--", "–": "-", "…": "...", "“": "\"", "”": "\"",
        "‘": "'", "’": "'", "«": "\"", "»": "\"", "×": "x", "•": "*", "✓": "v", "✔": "v", "✗": "x", "✘": "x",
        "→": "->", "←": "<-", "↑": "^", "↓": "v", "↔": "<->", "⇒": "=>", "▶": ">", "▸": ">", "▾": "v", "◀": "<",
        "◐": "~", "○": "o", "●": "*", "◆": "*", "⟳": "~", "≡": "=", "≤": "<=", "≥": ">=", "≠": "!=", "°": " deg",
        "│": "|", "┃": "|", "─": "-", "━": "-", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+",
        "┬": "+", "┴": "+", "┼": "+", "╭": "+", "╮": "+", "╰": "+", "╯": "+", "░": ".", "▒": ":", "▓": "#",
        "█": "#", "🔒": "[L]", "\u{00A0}": " ",
    ]
}
