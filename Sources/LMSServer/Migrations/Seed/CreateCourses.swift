/// `courses`, exactly as the database specification defines it.
struct CreateCourses: SQLMigration {
    let name = "005_create_courses"
    let postgresUp = [
        """
        CREATE TABLE courses (
          id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
          title VARCHAR(255) NOT NULL,
          slug VARCHAR(255) UNIQUE NOT NULL,
          description TEXT,
          thumbnail_url TEXT,
          status VARCHAR(50) NOT NULL DEFAULT 'draft',
          price DECIMAL(10, 2) NOT NULL DEFAULT 0,
          instructor_id UUID NOT NULL REFERENCES users(id),
          duration INTEGER NOT NULL DEFAULT 0, -- Total seconds
          chapters_count INTEGER NOT NULL DEFAULT 0,
          lessons_count INTEGER NOT NULL DEFAULT 0,
          created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
          deleted_at TIMESTAMPTZ
        )
        """,
        """
        CREATE INDEX idx_courses_slug ON courses(slug)
        """,
        """
        CREATE INDEX idx_courses_status ON courses(status)
        """,
        """
        CREATE INDEX idx_courses_instructor ON courses(instructor_id)
        """,
    ]
    let postgresDown = ["DROP TABLE courses"]
}
