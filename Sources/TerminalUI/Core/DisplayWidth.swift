/// How many terminal columns a character takes: 2 for East Asian wide characters and emoji, 0 for
/// controls, 1 otherwise (the rules of wcwidth and Unicode's East Asian Width, narrowed to what
/// terminals actually do).
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if first.value < 0x20 || (0x7F..<0xA0).contains(first.value) { return 0 }
        if first.value < 0x300 { return 1 }
        switch first.properties.generalCategory {
        // A combining mark or a variation selector on its own takes no column.
        case .nonspacingMark, .enclosingMark: return 0
        // Nor does a lone zero-width space, joiner or byte order mark.
        case .format where scalars.count == 1: return 0
        default: break
        }
        // An emoji presentation selector widens text-style emoji such as "❤︎" → "❤️".
        if scalars.dropFirst().contains(where: { $0.value == 0xFE0F }) { return 2 }
        if first.properties.isEmojiPresentation { return 2 }
        if isWide(first.value) { return 2 }
        return 1
    }

    public static func of(_ text: some StringProtocol) -> Int {
        if case let columns?? = text.utf8.withContiguousStorageIfAvailable(simpleColumns) { return columns }
        return ofCharacters(text)
    }

    /// The width of UTF-8 text made only of simple scalars (`isSimple`), the bulk of titles and
    /// labels: each is a character of its own and one column, so no grapheme breaking is needed.
    /// Nil when the text holds anything else, control characters included.
    static func simpleColumns(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var columns = 0
        var offset = 0
        while offset < bytes.count {
            let lead = UInt32(bytes[offset])
            // Simple scalars are all below U+2600: one to three bytes each (valid UTF-8, since
            // the text came from a String).
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 0
            guard length > 0, offset + length <= bytes.count else { return nil }
            let value = switch length {
            case 1: lead
            case 2: (lead & 0x1F) << 6 | UInt32(bytes[offset + 1]) & 0x3F
            default: (lead & 0x0F) << 12 | (UInt32(bytes[offset + 1]) & 0x3F) << 6 | UInt32(bytes[offset + 2]) & 0x3F
            }
            guard isSimple(value) else { return nil }
            columns += 1
            offset += length
        }
        return columns
    }

    /// One column, never combining, never emoji-presented, never extended by what follows
    /// unless that is itself outside this set: printable ASCII, Latin, common punctuation,
    /// currency, arrows, box drawing, geometric shapes.
    static func isSimple(_ value: UInt32) -> Bool {
        switch value {
        case 0x20..<0x7F, 0xA0..<0x300, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0, 0x2190...0x21FF,
             0x2500...0x25FC:
            true
        default:
            false
        }
    }

    private static func ofCharacters(_ text: some StringProtocol) -> Int {
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
             0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
             0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            true
        default:
            false
        }
    }

    /// The longest prefix of `text` that fits in `columns`, and its width.
    public static func prefix(_ text: some StringProtocol, fitting columns: Int) -> (Substring, Int) {
        let string = Substring(text)
        var used = 0
        var end = string.startIndex
        for index in string.indices {
            let width = of(string[index])
            if used + width > columns { break }
            used += width
            end = string.index(after: index)
        }
        return (string[string.startIndex..<end], used)
    }

    /// `text` cut to `columns`, ending in "…" when it had to be cut.
    public static func truncate(_ text: String, to columns: Int, ellipsis: String = "…") -> String {
        guard columns > 0 else { return "" }
        if of(text) <= columns { return text }
        let room = columns - of(ellipsis)
        guard room > 0 else { return String(prefix(text, fitting: columns).0) }
        return String(prefix(text, fitting: room).0) + ellipsis
    }
}

/// Runs of spaces for padding columns, made once: list rows pad on every frame.
public enum Spaces {
    private static let made: [String] = (0...512).map { String(repeating: " ", count: $0) }

    public static func of(_ count: Int) -> String {
        count <= 0 ? "" : count < made.count ? made[count] : String(repeating: " ", count: count)
    }
}
