import Foundation
import LMSKit

/// Who may open a course by its address: the rule `CourseStore.visibility` and
/// `CourseStore.courseWithOwnership` state in SQL, for rows fetched without it.
enum CourseVisibility {
    static func mayOpen(_ course: Course, purchased: Bool, viewer: Principal) -> Bool {
        guard course.deletedAt == nil else { return false }
        switch viewer.courseRole {
        case .admin: return true
        case .instructor where course.instructorID == viewer.userID: return true
        default: return course.status == .published || (course.status == .archived && purchased)
        }
    }

    /// May the viewer have the links to every lesson's content: they own the course (bought, their
    /// tenant's, or free), teach it, or administer the platform.
    static func ownsContent(_ course: Course, purchased: Bool, viewer: Principal) -> Bool {
        course.isFree || purchased || viewer.isPlatformAdmin || course.instructorID == viewer.userID
    }
}
