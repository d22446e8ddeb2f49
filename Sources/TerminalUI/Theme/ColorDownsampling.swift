/// Maps any colour to the nearest one a terminal of a given depth can show, the way btop does:
/// truecolor → the xterm 256 palette (colour cube or grey ramp) → the 16 ANSI colours → 8.
extension Color {
    public func downsampled(to depth: Capabilities.ColorDepth) -> Color? {
        switch (self, depth) {
        case (_, .monochrome): return nil
        case (.reset, _): return .reset
        case (.rgb, .truecolor): return self
        case (.rgb(let r, let g, let b), .indexed256): return .indexed(Self.nearest256(r, g, b))
        case (.rgb(let r, let g, let b), .sixteen): return .ansi(Self.nearestANSI(r, g, b, count: 16))
        case (.rgb(let r, let g, let b), .eight): return .ansi(Self.nearestANSI(r, g, b, count: 8))
        case (.indexed(let i), .truecolor), (.indexed(let i), .indexed256): return .indexed(i)
        case (.indexed(let i), .sixteen), (.indexed(let i), .eight):
            if i < 16 { return Color.ansi(i).downsampled(to: depth) }
            let (r, g, b) = Self.rgb(of256: i)
            return .ansi(Self.nearestANSI(r, g, b, count: depth == .eight ? 8 : 16))
        case (.ansi(let i), .eight): return .ansi(i % 8)
        case (.ansi, _): return self
        }
    }

    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    static let ansiPalette: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgb(of256 index: UInt8) -> (UInt8, UInt8, UInt8) {
        let i = Int(index)
        if i < 16 { let c = ansiPalette[i]; return (UInt8(c.0), UInt8(c.1), UInt8(c.2)) }
        if i >= 232 { let v = UInt8(8 + (i - 232) * 10); return (v, v, v) }
        let c = i - 16
        return (UInt8(cubeLevels[c / 36]), UInt8(cubeLevels[(c / 6) % 6]), UInt8(cubeLevels[c % 6]))
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        // Weighted for how the eye sees green over red over blue.
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }

    static func nearest256(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        let target = (Int(r), Int(g), Int(b))
        func level(_ v: Int) -> Int { cubeLevels.enumerated().min { abs($0.1 - v) < abs($1.1 - v) }!.0 }
        let (lr, lg, lb) = (level(target.0), level(target.1), level(target.2))
        let cubeIndex = 16 + 36 * lr + 6 * lg + lb
        let cube = (cubeLevels[lr], cubeLevels[lg], cubeLevels[lb])
        let average = (target.0 + target.1 + target.2) / 3
        let greyStep = max(0, min(23, (average - 8 + 5) / 10))
        let grey = 8 + greyStep * 10
        return distance(target, (grey, grey, grey)) < distance(target, cube) ? UInt8(232 + greyStep) : UInt8(cubeIndex)
    }

    static func nearestANSI(_ r: UInt8, _ g: UInt8, _ b: UInt8, count: Int) -> UInt8 {
        let target = (Int(r), Int(g), Int(b))
        return UInt8(ansiPalette.prefix(count).enumerated().min { distance($0.1, target) < distance($1.1, target) }!.0)
    }
}

extension Style {
    /// The style as the terminal will show it. Without colour, state must still be visible, so
    /// coloured text keeps its modifiers and a background colour turns into reverse video.
    public func downsampled(to depth: Capabilities.ColorDepth) -> Style {
        guard depth != .monochrome else {
            var modifiers = self.modifiers
            if let background, background != .reset { modifiers.insert(.reverse) }
            return Style(foreground: nil, background: nil, modifiers: modifiers)
        }
        return Style(foreground: foreground?.downsampled(to: depth), background: background?.downsampled(to: depth), modifiers: modifiers)
    }
}
