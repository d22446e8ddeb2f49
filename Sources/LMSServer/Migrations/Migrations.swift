import FluentKit
import Logging

/// Every migration in order: the seed's thirteen tables, then the server's own additions.
enum LMSMigrations {
    static let all: [any Migration] = [
        CreateTenants(), CreateUsers(), CreateGroups(), CreateUserGroups(), CreateCourses(), CreateChapters(),
        CreateLessons(), CreateQuizQuestions(), CreatePurchases(), CreateUserProgress(), CreateQuizResults(),
        CreateBadges(), CreateUserBadges(),
        AddLessonBody(), AddCourseQuizPassPercent(), AddQuizResultClientAttemptID(),
        CreateRefreshTokens(), CreateAppliedMutations(), CreateSyncChanges(), CreateCourseStructureVersions(),
        CreateLoginFailures(), AddSyncChangesTransaction(), CreateStripeEvents(),
    ]

    /// Every migration's name as `_fluent_migrations` records it, pgvector's first.
    static func names(logger: Logger) -> [String] {
        [EnablePGVector(logger: logger).name] + all.map(\.name)
    }
}
