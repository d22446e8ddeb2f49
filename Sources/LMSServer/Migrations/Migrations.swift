import FluentKit

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
}
