/// `lessons`, exactly as the database specification defines it.
struct CreateLessons: SQLMigration {
    let name = "007_create_lessons"
    let postgresUp = [
        """
        CREATE TABLE lessons (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          chapter_id UUID NOT NULL REFERENCES chapters(id) ON DELETE CASCADE,
          title VARCHAR(255) NOT NULL,
          type VARCHAR(50) NOT NULL DEFAULT 'video',
          video_url TEXT,
          video_id VARCHAR(255), -- External video service ID
          duration INTEGER NOT NULL DEFAULT 0,
          position INTEGER NOT NULL DEFAULT 0,
          is_free BOOLEAN NOT NULL DEFAULT false,
          requires_previous BOOLEAN NOT NULL DEFAULT true,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
        )
        """,
        """
        CREATE INDEX idx_lessons_chapter_id ON lessons(chapter_id)
        """,
    ]
    let postgresDown = ["DROP TABLE lessons"]
}
