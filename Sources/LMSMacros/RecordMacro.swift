import SwiftCompilerPlugin
import SwiftDiagnostics
import SwiftSyntax
import SwiftSyntaxBuilder
import SwiftSyntaxMacros

/// `@Record` on a struct: its stored properties, declared once, become the memberwise init, the
/// `Codable` conformance, the fast JSON reader and writer, and the field list and reader that the
/// server's SQL rows go through. A property's JSON key (and column) is its name in snake_case
/// (`chapterID` → `chapter_id`) unless `@Field("key")` says otherwise; its initializer is the
/// init's default; an optional type means the field may be absent or null.
public struct RecordMacro: MemberMacro, ExtensionMacro {
    struct Property {
        let name: String
        let type: String
        /// The type without its `?`, for optionals.
        let wrapped: String?
        let key: String
        let defaultValue: String?
        /// `@Lenient`: absent or null reads as the default value.
        let lenient: Bool

        var isOptional: Bool { wrapped != nil }
        var valueType: String { wrapped ?? type }
        /// How the field is read where it may be missing: as an optional, or its default.
        var readType: String { lenient ? "\(type)?" : type }
        func read(_ expression: String) -> String { lenient ? "(\(expression) ?? \(defaultValue!))" : expression }
    }

    public static func expansion(
        of node: AttributeSyntax, providingMembersOf declaration: some DeclGroupSyntax,
        conformingTo protocols: [TypeSyntax], in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let structDecl = declaration.as(StructDeclSyntax.self) else {
            throw MacroError("@Record applies to structs")
        }
        let name = structDecl.name.text
        let properties = try storedProperties(of: structDecl)
        let existing = Set(structDecl.memberBlock.members.compactMap { $0.decl.as(InitializerDeclSyntax.self)?.signature.description })
            .joined()
        var members: [DeclSyntax] = []

        let parameters = properties.map { property -> String in
            let defaultValue = property.defaultValue ?? (property.isOptional ? "nil" : nil)
            return "\(property.name): \(property.type)" + (defaultValue.map { " = \($0)" } ?? "")
        }.joined(separator: ", ")
        members.append("""
            public init(\(raw: parameters)) {
            \(raw: properties.map { "    self.\($0.name) = \($0.name)" }.joined(separator: "\n"))
            }
            """)

        let cases = properties.map { $0.key == $0.name ? "    case \($0.name)" : "    case \($0.name) = \"\($0.key)\"" }
        members.append("""
            enum CodingKeys: String, CodingKey {
            \(raw: cases.joined(separator: "\n"))
            }
            """)

        // A type that decodes itself in its own way (accepting older shapes) keeps its init.
        if !existing.contains("from decoder") {
            members.append("""
                public init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                \(raw: properties.map { "    self.\($0.name) = \($0.read("try container.recordField(\($0.readType).self, forKey: .\($0.name))"))" }.joined(separator: "\n"))
                }
                """)
        }
        members.append("""
            public func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
            \(raw: properties.map { "    try container.encodeRecordField(self.\($0.name), forKey: .\($0.name))" }.joined(separator: "\n"))
            }
            """)

        // The fast reader: one pass over the object's keys, unknown keys skipped, the first missing
        // required field named.
        let locals = properties.map { "    var \($0.name): \($0.valueType)? = nil" }.joined(separator: "\n")
        let dispatch = properties.enumerated().map { index, property in
            (index == 0 ? "        if" : "        else if")
                + " key == \"\(property.key)\" { \(property.name) = try reader.recordField(\(property.readType).self) }"
        }.joined(separator: "\n")
        let guards = properties.filter { !$0.isOptional && !$0.lenient }.map {
            "    guard let \($0.name) else { throw JSONReader.missing(\"\($0.key)\", in: \"\(name)\") }"
        }.joined(separator: "\n")
        let arguments = properties.map { "\($0.name): \($0.read($0.name))" }.joined(separator: ", ")
        members.append("""
            public static func read(from reader: inout JSONReader) throws -> \(raw: name) {
            \(raw: locals)
                try reader.object { reader, key in
            \(raw: dispatch)
                    else { try reader.skipValue() }
                }
            \(raw: guards)
                return \(raw: name)(\(raw: arguments))
            }
            """)

        // The writer: keys sorted, as the API's JSONEncoder (`.sortedKeys`) writes them.
        let sorted = properties.sorted { $0.key < $1.key }
        members.append("""
            public func write(to writer: inout JSONWriter) {
            \(raw: sorted.map { "    writer.recordField(\"\($0.key)\", self.\($0.name))" }.joined(separator: "\n"))
            }
            """)

        let fieldList = properties.map { "RecordField(\"\($0.key)\", \($0.valueType).self)" }.joined(separator: ", ")
        members.append("public static let recordFields: [RecordField] = [\(raw: fieldList)]")
        let fieldArguments = properties.map {
            "\($0.name): " + $0.read("try source.\($0.isOptional || $0.lenient ? "optional" : "required")(\"\($0.key)\", \($0.valueType).self)")
        }.joined(separator: ", ")
        members.append("""
            @inlinable
            public init<Source: FieldSource>(fields source: inout Source) throws {
                self.init(\(raw: fieldArguments))
            }
            """)
        return members
    }

    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax, providingExtensionsOf type: some TypeSyntaxProtocol,
        conformingTo protocols: [TypeSyntax], in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        [try ExtensionDeclSyntax("extension \(type.trimmed): Record, Codable, FastJSONCodable {}")]
    }

    static func storedProperties(of declaration: StructDeclSyntax) throws -> [Property] {
        var properties: [Property] = []
        for member in declaration.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
            if variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) }) { continue }
            for binding in variable.bindings {
                // Computed properties are not fields.
                if let accessor = binding.accessorBlock {
                    if case .getter = accessor.accessors { continue }
                    if case .accessors(let list) = accessor.accessors,
                       list.contains(where: { $0.accessorSpecifier.tokenKind == .keyword(.get) }) { continue }
                }
                guard let pattern = binding.pattern.as(IdentifierPatternSyntax.self) else { continue }
                guard let annotation = binding.typeAnnotation else {
                    throw MacroError("@Record needs the type of '\(pattern.identifier.text)' written out")
                }
                let type = annotation.type.trimmedDescription
                let wrapped = annotation.type.as(OptionalTypeSyntax.self)?.wrappedType.trimmedDescription
                let name = pattern.identifier.text
                let lenient = variable.attributes.contains { $0.as(AttributeSyntax.self)?.attributeName.trimmedDescription == "Lenient" }
                let defaultValue = binding.initializer?.value.trimmedDescription
                if lenient, defaultValue == nil || wrapped != nil {
                    throw MacroError("@Lenient '\(name)' needs a non-optional type and a default value")
                }
                properties.append(Property(
                    name: name, type: type, wrapped: wrapped, key: fieldKey(of: variable) ?? snakeCase(name),
                    defaultValue: defaultValue, lenient: lenient))
            }
        }
        return properties
    }

    /// The key given by `@Field("…")`, if any.
    static func fieldKey(of variable: VariableDeclSyntax) -> String? {
        for attribute in variable.attributes {
            guard let attribute = attribute.as(AttributeSyntax.self),
                  attribute.attributeName.trimmedDescription == "Field",
                  let argument = attribute.arguments?.as(LabeledExprListSyntax.self)?.first,
                  let literal = argument.expression.as(StringLiteralExprSyntax.self) else { continue }
            return literal.segments.trimmedDescription
        }
        return nil
    }

    /// `chapterID` → `chapter_id`, `thumbnailURL` → `thumbnail_url`, `isFree` → `is_free`.
    static func snakeCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { result += "_" }
            }
            result += character.lowercased()
        }
        return result
    }
}

/// `@Lenient`: a `@Record` property that may be absent or null, meaning its default value.
public struct LenientMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol, in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        []
    }
}

/// `@Field("key")`: the JSON key and column of a `@Record` property, where snake_case is not it.
public struct FieldMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol, in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        []
    }
}

struct MacroError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

@main
struct LMSMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [RecordMacro.self, FieldMacro.self, LenientMacro.self]
}
