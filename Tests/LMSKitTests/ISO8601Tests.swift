import Foundation
import LMSKit
import PropertyBased
import Testing

@Suite("ISO8601")
struct ISO8601Tests {
    /// 2026-01-14T09:30:00Z, worked out independently (Python's calendar.timegm).
    static let referenceSeconds: TimeInterval = 1_768_383_000

    private func seconds(_ text: String) -> TimeInterval? {
        ISO8601.parse(text)?.timeIntervalSince1970
    }

    @Test func parsesUTCWithZ() {
        #expect(seconds("2026-01-14T09:30:00Z") == Self.referenceSeconds)
        #expect(seconds("2026-01-14t09:30:00z") == Self.referenceSeconds)
        #expect(seconds("1970-01-01T00:00:00Z") == 0)
    }

    @Test func parsesFractionalSeconds() throws {
        #expect(seconds("2026-01-14T09:30:00.5Z") == Self.referenceSeconds + 0.5)
        #expect(seconds("2026-01-14T09:30:00.250Z") == Self.referenceSeconds + 0.25)
        let micro = try #require(seconds("2026-01-14T09:30:00.123456Z"))
        #expect(abs(micro - (Self.referenceSeconds + 0.123456)) < 1e-6)
    }

    @Test(arguments: [
        "2026-01-14T11:30:00+02:00",
        "2026-01-14T11:30:00+0200",
        "2026-01-14T11:30:00+02",  // PostgreSQL prints whole-hour offsets like this
        "2026-01-14T04:00:00-05:30",
        "2026-01-13T23:30:00-10:00",  // the day before, locally
        "2026-01-14 09:30:00+00",  // PostgreSQL's space separator
        "2026-01-14 09:30:00Z",
    ])
    func parsesOffsetsToTheSameInstant(text: String) {
        #expect(seconds(text) == Self.referenceSeconds)
    }

    @Test func parsesLeapDays() {
        #expect(seconds("2024-02-29T12:00:00Z") == 1_709_208_000)
        #expect(seconds("2000-02-29T23:59:59Z") == 951_868_799)  // divisible by 400: leap
        #expect(ISO8601.parse("2023-02-29T12:00:00Z") == nil)
        #expect(ISO8601.parse("1900-02-29T12:00:00Z") == nil)  // divisible by 100: not leap
    }

    @Test(arguments: [
        "",
        "not a date",
        "2026-01-14",
        "2026-01-14T09:30:00",  // no zone: ambiguous
        "2026-13-01T09:30:00Z",  // month 13
        "2026-00-10T09:30:00Z",  // month 0
        "2026-02-30T09:30:00Z",  // Feb 30
        "2026-04-31T09:30:00Z",  // April has 30 days
        "2026-01-00T09:30:00Z",  // day 0
        "2026-01-14T24:00:00Z",  // hour 24
        "2026-01-14T09:60:00Z",  // minute 60
        "2026-01-14T09:30:00Zjunk",  // trailing junk
        "2026-01-14T09:30:00+02:00x",
        "2026-01-14T09:30:00+02:",  // a colon with no minutes
        "2026-01-14T09:30:00+2",
        "2026-01-14T09:30:00+24:00",
        "2026-01-14T09:30:00+02:60",
        "2026-01-14T09:30:00.Z",  // a point with no digits
        "2026-1-14T09:30:00Z",
        "2026/01/14T09:30:00Z",
        "2026-01-14X09:30:00Z",
        " 2026-01-14T09:30:00Z",
    ])
    func rejectsGarbage(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test(arguments: [
        "2026-01-14T09:30:00Z",
        "2026-01-14T09:30:00.250Z",
        "2026-01-14T09:30:00.001Z",
        "2000-02-29T23:59:59.999Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.500Z",
        "1969-07-20T20:17:40Z",
        "1900-03-01T00:00:00Z",
        "2100-12-31T23:59:59Z",
    ])
    func formatRoundTrips(text: String) throws {
        let date = try #require(ISO8601.parse(text))
        #expect(ISO8601.format(date) == text)
    }

    @Test func formatWritesUTC() throws {
        let date = try #require(ISO8601.parse("2026-01-14T04:00:00-05:30"))
        #expect(ISO8601.format(date) == "2026-01-14T09:30:00Z")
    }

    @Test func formatRoundsToMilliseconds() {
        #expect(ISO8601.format(Date(timeIntervalSince1970: Self.referenceSeconds + 0.1234)) == "2026-01-14T09:30:00.123Z")
        // 0.9996 s rounds up into the next second rather than printing ".1000".
        #expect(ISO8601.format(Date(timeIntervalSince1970: Self.referenceSeconds + 0.9996)) == "2026-01-14T09:30:01Z")
    }

    @Test func datesBefore1970() {
        #expect(seconds("1969-12-31T23:59:59Z") == -1)
        #expect(seconds("1969-07-20T20:17:40Z") == -14_182_940)
        #expect(seconds("1900-01-01T00:00:00Z") == -2_208_988_800)
        #expect(ISO8601.format(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -86_400)) == "1969-12-31T00:00:00Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
        #expect(ISO8601.format(Date(timeIntervalSince1970: -2_208_988_800)) == "1900-01-01T00:00:00Z")
    }

    @Test func utcDayNumber() {
        #expect(ISO8601.utcDayNumber(TestData.now) == 20_467)
        #expect(ISO8601.utcDayNumber(TestData.date("1970-01-01T23:59:59Z")) == 0)
        #expect(ISO8601.utcDayNumber(TestData.date("1969-12-31T23:59:59Z")) == -1)
        // A local evening that is already the next day in UTC counts as the next day.
        #expect(ISO8601.utcDayNumber(TestData.date("2026-01-14T20:00:00-05:00")) == 20_468)
    }

    /// Foundation's formatter as an independent oracle, over whole seconds from 1900 to 2100.
    @Test func agreesWithFoundationsFormatter() async {
        await propertyCheck(count: 300, input: Gen.int(in: -2_208_988_800...4_102_444_799)) { epoch in
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            let date = Date(timeIntervalSince1970: TimeInterval(epoch))
            let expected = formatter.string(from: date)
            #expect(ISO8601.format(date) == expected)
            #expect(ISO8601.parse(expected) == date)
        }
    }
}
