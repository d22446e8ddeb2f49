/// `quiz_results`, exactly as the database specification defines it.
struct CreateQuizResults: SQLMigration {
    let name = "011_create_quiz_results"
    let postgresUp = [
        """
        CREATE TABLE quiz_results (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          lesson_id UUID NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
          score INTEGER NOT NULL,
          max_score INTEGER NOT NULL,
          passed BOOLEAN NOT NULL,
          answers JSONB NOT NULL,
          attempt_number INTEGER NOT NULL DEFAULT 1,
          completed_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
        """
        CREATE INDEX idx_quiz_results_user_lesson ON quiz_results(user_id, lesson_id)
        """,
    ]
    let postgresDown = ["DROP TABLE quiz_results"]
}
