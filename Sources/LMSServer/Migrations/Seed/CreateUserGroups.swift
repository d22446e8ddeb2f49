/// `user_groups`, exactly as the database specification defines it.
struct CreateUserGroups: SQLMigration {
    let name = "004_create_user_groups"
    let postgresUp = [
        """
        CREATE TABLE user_groups (
          user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
          group_id UUID NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
          PRIMARY KEY (user_id, group_id)
        )
        """,
    ]
    let postgresDown = ["DROP TABLE user_groups"]
}
