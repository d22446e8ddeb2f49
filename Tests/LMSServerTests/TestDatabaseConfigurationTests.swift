import Foundation
import LMSTestSupport
import Testing

@Suite("Test databases")
struct TestDatabaseConfigurationTests {
    /// CI must never pass while silently skipping PostgreSQL.
    @Test("PostgreSQL is configured for the API tests")
    func postgresIsConfigured() {
        let environment = ProcessInfo.processInfo.environment
        guard TestDatabase.postgresURL == nil, environment["LMS_SKIP_POSTGRES"] != "1" else { return }
        Issue.record("""
            LMS_TEST_DATABASE_URL is not set, so the server API tests ran against SQLite only.
            Run everything with `bash scripts/test.sh` (starts PostgreSQL 16 + pgvector), or by hand:
                URL=$(bash scripts/postgres.sh start 55434 /tmp/lms-pg-dev)
                LMS_TEST_DATABASE_URL=$URL swift test --filter LMSServerTests
            Set LMS_SKIP_POSTGRES=1 to skip PostgreSQL on purpose.
            """)
    }
}
