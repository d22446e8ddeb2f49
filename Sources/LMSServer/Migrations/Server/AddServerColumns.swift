/// The body of a text lesson. The seed's `lessons` has a video URL but nowhere for the text of a
/// text lesson, which the client must show (and keep for offline study).
struct AddLessonBody: SQLMigration {
    let name = "014_add_lessons_body"
    let postgresUp = ["ALTER TABLE lessons ADD COLUMN body TEXT"]
    let postgresDown = ["ALTER TABLE lessons DROP COLUMN body"]
}

/// A course's own quiz pass mark, in percent; NULL means the platform default (70 %, see
/// `QuizPassMark`). The seed has no place for it and instructors need to set it per course.
struct AddCourseQuizPassPercent: SQLMigration {
    let name = "015_add_courses_quiz_pass_percent"
    let postgresUp = [
        "ALTER TABLE courses ADD COLUMN quiz_pass_percent INTEGER CHECK (quiz_pass_percent BETWEEN 0 AND 100)"
    ]
    let postgresDown = ["ALTER TABLE courses DROP COLUMN quiz_pass_percent"]
}

/// The id a client gives a quiz attempt (taken offline, perhaps), so that replaying the submission
/// returns the stored result instead of grading a second attempt. Unique per user.
struct AddQuizResultClientAttemptID: SQLMigration {
    let name = "016_add_quiz_results_client_attempt_id"
    let postgresUp = [
        "ALTER TABLE quiz_results ADD COLUMN client_attempt_id UUID",
        "CREATE UNIQUE INDEX idx_quiz_results_client_attempt ON quiz_results(user_id, client_attempt_id)",
    ]
    let postgresDown = [
        "DROP INDEX idx_quiz_results_client_attempt",
        "ALTER TABLE quiz_results DROP COLUMN client_attempt_id",
    ]
}
