import Foundation
import LMSKit
import Testing

@Suite("Open enums")
struct OpenEnumTests {
    /// Equality of open enums compares raw values, so `.other("x")` is told apart from a known
    /// case by looking at which case it is.
    private static func isOther<E: OpenEnum>(_ value: E) -> Bool {
        Mirror(reflecting: value).children.first?.label == "other"
    }

    /// Every known raw value decodes to a known case and encodes back unchanged; a value from a
    /// newer server decodes to `.other` and encodes back unchanged too.
    private func checkOpenEnum<E: OpenEnum>(
        _ type: E.Type, known: [String], sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(E.knownCases.map(\.rawValue) == known, sourceLocation: sourceLocation)
        for raw in known {
            let decoded = try TestData.decode(E.self, "\"\(raw)\"")
            #expect(decoded.rawValue == raw, sourceLocation: sourceLocation)
            #expect(!Self.isOther(decoded), "\(raw) should be a known case", sourceLocation: sourceLocation)
            #expect(decoded.isKnown, sourceLocation: sourceLocation)
            #expect(try TestData.encodedString(decoded) == "\"\(raw)\"", sourceLocation: sourceLocation)
            #expect(E(rawValue: raw) == decoded, sourceLocation: sourceLocation)
        }
        let unknown = try TestData.decode(E.self, #""from_the_future""#)
        #expect(Self.isOther(unknown), sourceLocation: sourceLocation)
        #expect(unknown == E.other("from_the_future"), sourceLocation: sourceLocation)
        #expect(!unknown.isKnown, sourceLocation: sourceLocation)
        #expect(unknown.description == "from_the_future", sourceLocation: sourceLocation)
        #expect(try TestData.encodedString(unknown) == #""from_the_future""#, sourceLocation: sourceLocation)
    }

    @Test func userRole() throws {
        try checkOpenEnum(UserRole.self, known: ["learner", "instructor", "admin"])
    }

    @Test func userStatus() throws {
        try checkOpenEnum(UserStatus.self, known: ["pending", "active", "suspended"])
    }

    @Test func tenantStatus() throws {
        try checkOpenEnum(TenantStatus.self, known: ["trial", "active", "suspended", "cancelled"])
    }

    @Test func isolationStrategyIsUpperCase() throws {
        try checkOpenEnum(IsolationStrategy.self, known: ["SHARED", "SCHEMA", "DATABASE"])
        #expect(IsolationStrategy.shared.rawValue == "SHARED")
        // Raw values are case-sensitive: the seed's spelling is the only known one.
        let lower = try TestData.decode(IsolationStrategy.self, #""shared""#)
        #expect(Self.isOther(lower))
        #expect(try TestData.encodedString(lower) == #""shared""#)
    }

    @Test func subscriptionStatus() throws {
        try checkOpenEnum(
            SubscriptionStatus.self,
            known: ["trialing", "active", "past_due", "canceled", "unpaid", "incomplete", "incomplete_expired", "paused"])
    }

    @Test func courseStatus() throws {
        try checkOpenEnum(CourseStatus.self, known: ["draft", "published", "archived"])
    }

    @Test func lessonType() throws {
        try checkOpenEnum(LessonType.self, known: ["video", "text", "quiz"])
    }

    @Test func questionType() throws {
        try checkOpenEnum(QuestionType.self, known: ["single_choice", "multiple_choice", "true_false", "short_answer"])
    }

    @Test func purchaseStatus() throws {
        try checkOpenEnum(PurchaseStatus.self, known: ["pending", "completed", "failed", "refunded"])
    }

    @Test func currency() throws {
        try checkOpenEnum(Currency.self, known: ["EUR", "USD", "GBP", "CHF"])
    }

    @Test func apiErrorCode() throws {
        try checkOpenEnum(
            APIErrorCode.self,
            known: [
                "bad_request", "invalid_json", "validation_failed", "payload_too_large", "unauthorized",
                "invalid_credentials", "token_expired", "account_inactive", "forbidden", "not_found", "conflict",
                "seats_exhausted", "lesson_locked", "purchase_required", "cursor_expired", "rate_limited",
                "signature_invalid", "internal_error", "service_unavailable",
            ])
    }

    @Test func syncEntity() throws {
        try checkOpenEnum(
            SyncEntity.self,
            known: [
                "course", "chapter", "lesson", "lesson_content", "progress", "quiz_result", "badge", "user_badge",
                "purchase",
            ])
    }

    @Test func mutationStatus() throws {
        try checkOpenEnum(MutationStatus.self, known: ["applied", "duplicate", "rejected"])
    }

    @Test func unknownValueInsideARecordSurvivesARoundTrip() throws {
        let json = """
            {"id": "00000000-0000-0000-0000-000000000011", "email": "ada@example.com", "first_name": "Ada",
             "last_name": "Lovelace", "role": "moderator", "status": "on_leave",
             "created_at": "2026-01-14T09:30:00Z", "updated_at": "2026-01-14T09:30:00Z"}
            """
        let user = try TestData.decode(User.self, json)
        guard case .other("moderator") = user.role else {
            Issue.record("role decoded as \(user.role)")
            return
        }
        #expect(Self.isOther(user.status))
        let encoded = try TestData.jsonValue(of: user)
        #expect(encoded["role"] == .string("moderator"))
        #expect(encoded["status"] == .string("on_leave"))
    }

    @Test func errorEnvelopeWithUnknownCode() throws {
        let json = #"{"error": {"code": "quota_exceeded", "message": "Too many courses", "details": {"limit": 3}}}"#
        let envelope = try TestData.decode(APIErrorEnvelope.self, json)
        #expect(envelope.error.code == .other("quota_exceeded"))
        #expect(envelope.error.description == "Too many courses")
        #expect(envelope.error.details?["limit"] == .number(3))
        #expect(try TestData.jsonValue(of: envelope) == TestData.jsonValue(json))
    }
}
