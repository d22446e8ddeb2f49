import Foundation
import LMSKit
import PostgresNIO

/// Reads a row's cells in column order with the concrete decoders, skipping the generic lookup
/// by name that dominates when a hundred rows are decoded per request.
struct PostgresCellReader: FieldSource {
    private var cells: PostgresRow.Iterator
    private var columnIndex = 0

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    mutating func next<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value {
        guard let value = try optional(type) else {
            throw PostgresRowShapeError(column: columnIndex)
        }
        return value
    }

    mutating func optional<Value: PostgresDecodable>(_ type: Value.Type) throws -> Value? {
        guard let cell = cells.next() else { throw PostgresRowShapeError(column: columnIndex) }
        columnIndex += 1
        guard var bytes = cell.bytes else { return nil }
        return try Value(from: &bytes, type: cell.dataType, format: cell.format, context: .default)
    }

    // A `FieldSource` by position: a `@Record`'s columns come in its declaration order.
    mutating func uuid(_ key: String) throws -> UUID? { try optional(UUID.self) }
    mutating func string(_ key: String) throws -> String? { try optional(String.self) }
    mutating func int(_ key: String) throws -> Int? { try optional(Int.self) }
    mutating func bool(_ key: String) throws -> Bool? { try optional(Bool.self) }
    mutating func date(_ key: String) throws -> Date? { try optional(Date.self) }
}

/// A row that does not match the statement's columns: a schema drift, reported by column.
struct PostgresRowShapeError: Error, CustomStringConvertible {
    let column: Int
    var description: String { "Unexpected value in column \(column) of a row" }
}
