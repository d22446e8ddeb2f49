/// `chapters`, exactly as the database specification defines it.
struct CreateChapters: SQLMigration {
    let name = "006_create_chapters"
    let postgresUp = [
        """
        CREATE TABLE chapters (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          course_id UUID NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
          title VARCHAR(255) NOT NULL,
          description TEXT,
          position INTEGER NOT NULL DEFAULT 0,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
        """
        CREATE INDEX idx_chapters_course_id ON chapters(course_id)
        """,
    ]
    let postgresDown = ["DROP TABLE chapters"]
}
