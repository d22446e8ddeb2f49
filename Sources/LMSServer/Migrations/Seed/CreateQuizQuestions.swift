/// `quiz_questions`, exactly as the database specification defines it.
struct CreateQuizQuestions: SQLMigration {
    let name = "008_create_quiz_questions"
    let postgresUp = [
        """
        CREATE TABLE quiz_questions (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          lesson_id UUID NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
          question TEXT NOT NULL,
          type VARCHAR(50) NOT NULL DEFAULT 'single_choice',
          options JSONB NOT NULL DEFAULT '[]',
          points INTEGER NOT NULL DEFAULT 1,
          position INTEGER NOT NULL DEFAULT 0,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
        """
        CREATE INDEX idx_quiz_questions_lesson_id ON quiz_questions(lesson_id)
        """,
    ]
    let postgresDown = ["DROP TABLE quiz_questions"]
}
