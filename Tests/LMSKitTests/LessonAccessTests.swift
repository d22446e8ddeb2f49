import Foundation
import LMSKit
import Testing

@Suite("Lesson access")
struct LessonAccessTests {
    private typealias T = TestData

    private func decide(
        _ lesson: Lesson, _ learner: LearnerContext, course: Course = TestData.course()
    ) -> AccessDecision {
        LessonAccess.decide(lesson: lesson, in: T.outline(course), for: learner)
    }

    /// A learner who bought the course and completed the given lessons.
    private func owner(completed: Set<UUID> = []) -> LearnerContext {
        T.learner(purchases: [T.purchase()], completed: completed)
    }

    // MARK: Buying

    @Test("Only a learner without the course is offered to buy it: not its instructor, an admin, an owner, or a free course's learner")
    func whoMayBuy() {
        let paid = T.course()
        #expect(LessonAccess.mayBuy(course: paid, learner: T.learner()))
        #expect(!LessonAccess.mayBuy(course: paid, learner: owner()))
        #expect(!LessonAccess.mayBuy(course: paid, learner: T.learner(id: T.instructorID, role: .instructor)))
        #expect(!LessonAccess.mayBuy(course: paid, learner: T.learner(id: T.adminID, role: .admin)))
        #expect(LessonAccess.mayBuy(course: paid, learner: T.learner(id: T.otherLearnerID, role: .instructor)))
        #expect(!LessonAccess.mayBuy(course: T.course(status: .draft), learner: T.learner()))
        var free = paid
        free.price = 0
        #expect(!LessonAccess.mayBuy(course: free, learner: T.learner()))
    }

    // MARK: Grants

    @Test func adminOpensEverything() {
        let admin = T.learner(id: T.adminID, role: .admin)
        #expect(decide(T.loopsQuiz, admin) == .granted(.admin))
        #expect(decide(T.loopsQuiz, admin, course: T.course(status: .draft)) == .granted(.admin))
    }

    @Test func instructorOpensOwnCourseIncludingDrafts() {
        let instructor = T.learner(id: T.instructorID, role: .instructor)
        #expect(decide(T.summary, instructor) == .granted(.instructor))
        #expect(decide(T.loopsQuiz, instructor, course: T.course(status: .draft)) == .granted(.instructor))
    }

    @Test func anotherInstructorIsTreatedAsALearner() {
        let other = T.learner(id: T.otherLearnerID, role: .instructor)
        #expect(decide(T.variables, other) == .locked(.purchaseRequired(price: 49, currency: .eur)))
        #expect(decide(T.intro, other, course: T.course(status: .draft)) == .locked(.courseUnavailable))
    }

    @Test func freeLessonIsAPreviewWithoutPurchase() {
        #expect(decide(T.intro, T.learner()) == .granted(.freeLesson))
    }

    @Test func freePreviewSkipsSequencing() {
        // A free lesson later in the course opens even though the (paid) lesson before it is not done.
        var preview = T.loopsQuiz
        preview.chapterID = T.chapterA
        preview.position = 3
        preview.isFree = true
        let outline = CourseOutline(
            course: T.course(),
            chapters: [ChapterOutline(chapter: T.chapter(T.chapterA, "All", position: 1), lessons: [T.variables, preview])])
        #expect(LessonAccess.decide(lesson: preview, in: outline, for: T.learner()) == .granted(.freeLesson))
        // Once the learner owns the course, the same lesson is sequenced like any other.
        #expect(
            LessonAccess.decide(lesson: preview, in: outline, for: owner())
                == .locked(.requiresPrevious(lessonID: T.variables.id, lessonTitle: "Variables")))
    }

    @Test func freeCourseIsOpenToEveryone() {
        let free = T.course(price: 0)
        #expect(decide(T.intro, T.learner(), course: free) == .granted(.freeCourse))
        #expect(decide(T.variables, T.learner(completed: [T.intro.id]), course: free) == .granted(.freeCourse))
    }

    @Test func ownCompletedPurchase() {
        #expect(decide(T.variables, owner(completed: [T.intro.id])) == .granted(.purchased))
        // An owner opening a free lesson is recorded as owning, not previewing.
        #expect(decide(T.intro, owner()) == .granted(.purchased))
    }

    @Test func tenantPurchaseLicensesEveryMember() {
        let licence = T.purchase(user: T.otherLearnerID, tenant: T.tenantID)
        let member = T.learner(tenantID: T.tenantID, purchases: [licence], completed: [T.intro.id])
        #expect(decide(T.variables, member) == .granted(.tenantLicence))
    }

    @Test func ownershipGrantOrder() {
        let course = T.course()
        let both = T.learner(tenantID: T.tenantID, purchases: [T.purchase(user: T.otherLearnerID, tenant: T.tenantID), T.purchase()])
        #expect(LessonAccess.ownershipGrant(course: course, learner: both) == .purchased)
        #expect(LessonAccess.ownershipGrant(course: course, learner: T.learner()) == nil)
        #expect(LessonAccess.ownershipGrant(course: T.course(price: 0), learner: T.learner()) == .freeCourse)
    }

    // MARK: Locks

    @Test func draftCourseIsClosedToLearners() {
        let draft = T.course(status: .draft)
        #expect(decide(T.intro, owner(), course: draft) == .locked(.courseUnavailable))
        #expect(decide(T.intro, T.learner(), course: T.course(status: .other("review"))) == .locked(.courseUnavailable))
    }

    @Test func archivedCourseOnlyForOwners() {
        let archived = T.course(status: .archived)
        #expect(decide(T.intro, T.learner(), course: archived) == .locked(.courseUnavailable))
        #expect(decide(T.intro, owner(), course: archived) == .granted(.purchased))
        #expect(decide(T.variables, owner(completed: [T.intro.id]), course: archived) == .granted(.purchased))
    }

    @Test func softDeletedCourseIsClosedEvenToOwners() {
        let deleted = T.course(deletedAt: T.at(days: -1))
        #expect(decide(T.intro, owner(), course: deleted) == .locked(.courseUnavailable))
        #expect(decide(T.intro, T.learner(), course: T.course(price: 0, deletedAt: T.at(days: -1))) == .locked(.courseUnavailable))
    }

    @Test(arguments: [PurchaseStatus.pending, .failed, .refunded, .other("disputed")])
    func unfinishedPurchaseDoesNotCount(status: PurchaseStatus) {
        let learner = T.learner(purchases: [T.purchase(status: status)], completed: [T.intro.id])
        #expect(decide(T.variables, learner) == .locked(.purchaseRequired(price: 49, currency: .eur)))
    }

    @Test func anotherUsersPersonalPurchaseDoesNotCount() {
        let learner = T.learner(tenantID: T.tenantID, purchases: [T.purchase(user: T.otherLearnerID)])
        #expect(decide(T.variables, learner) == .locked(.purchaseRequired(price: 49, currency: .eur)))
    }

    @Test func anotherTenantsPurchaseDoesNotCount() {
        let licence = T.purchase(user: T.otherLearnerID, tenant: T.otherTenantID)
        #expect(decide(T.variables, T.learner(tenantID: T.tenantID, purchases: [licence])).isGranted == false)
        // Nor does a tenant licence reach a learner who has no tenant.
        #expect(decide(T.variables, T.learner(tenantID: nil, purchases: [licence])).isGranted == false)
    }

    @Test func purchaseOfAnotherCourseDoesNotCount() {
        let learner = T.learner(purchases: [T.purchase(course: T.otherCourseID)])
        #expect(decide(T.variables, learner) == .locked(.purchaseRequired(price: 49, currency: .eur)))
    }

    @Test(arguments: [UserStatus.pending, .suspended, .other("banned")])
    func inactiveAccountOpensNothing(status: UserStatus) {
        let learner = T.learner(status: status, purchases: [T.purchase()])
        #expect(decide(T.intro, learner) == .locked(.accountInactive))
        #expect(decide(T.intro, T.learner(status: status), course: T.course(price: 0)) == .locked(.accountInactive))
    }

    @Test func requiresPreviousNamesTheLessonToComplete() throws {
        let decision = decide(T.variables, owner())
        #expect(decision == .locked(.requiresPrevious(lessonID: T.intro.id, lessonTitle: "Intro")))
        let reason = try #require(decision.lockReason)
        #expect(reason.description == "Complete 'Intro' first")
    }

    @Test func firstLessonIsNeverSequencingLocked() {
        // The first lesson requires its previous one, but there is none.
        #expect(T.intro.requiresPrevious)
        #expect(decide(T.intro, owner()) == .granted(.purchased))
    }

    @Test func sequencingCrossesChapterBoundariesByPosition() {
        // "If and switch" opens chapter 2 (stored first in its array, chapter stored last):
        // the lesson before it is the end of chapter 1, "Variables".
        #expect(
            decide(T.branches, owner(completed: [T.intro.id]))
                == .locked(.requiresPrevious(lessonID: T.variables.id, lessonTitle: "Variables")))
        #expect(decide(T.branches, owner(completed: [T.variables.id])) == .granted(.purchased))
        // Inside a chapter, by lesson position, not array order.
        #expect(
            decide(T.loopsQuiz, owner())
                == .locked(.requiresPrevious(lessonID: T.branches.id, lessonTitle: "If and switch")))
    }

    @Test func lessonWithoutRequiresPreviousIsOpen() {
        #expect(!T.summary.requiresPrevious)
        #expect(decide(T.summary, owner()) == .granted(.purchased))
    }

    @Test func checksRunInTheDocumentedOrder() {
        // Inactive beats everything but admin/instructor; unavailable beats purchase-required.
        let suspended = T.learner(status: .suspended)
        #expect(decide(T.variables, suspended, course: T.course(status: .draft)) == .locked(.accountInactive))
        #expect(decide(T.variables, T.learner(), course: T.course(status: .draft)) == .locked(.courseUnavailable))
        // Purchase-required beats sequencing: a stranger is told to buy, not to finish "Intro".
        #expect(decide(T.variables, T.learner()) == .locked(.purchaseRequired(price: 49, currency: .eur)))
    }

    // MARK: Explanations

    @Test func lockReasonTexts() {
        #expect(LockReason.purchaseRequired(price: 49, currency: .eur).description == "Buy the course to unlock (€49.00)")
        #expect(
            LockReason.purchaseRequired(price: Decimal(string: "19.5")!, currency: .usd).description
                == "Buy the course to unlock ($19.50)")
        #expect(LockReason.courseUnavailable.description == "This course is not available yet")
        #expect(LockReason.accountInactive.description == "Your account is not active")
        #expect(
            LockReason.requiresPrevious(lessonID: T.intro.id, lessonTitle: "Loops & more").description
                == "Complete 'Loops & more' first")
    }

    @Test func decisionAccessors() {
        #expect(AccessDecision.granted(.admin).isGranted)
        #expect(AccessDecision.granted(.admin).lockReason == nil)
        #expect(!AccessDecision.locked(.accountInactive).isGranted)
        #expect(AccessDecision.locked(.accountInactive).lockReason == .accountInactive)
    }

    @Test func learnerContextFromUserRecords() {
        let user = T.user(status: .active, tenantID: T.tenantID)
        let rows = [
            T.progress(T.intro, completed: true), T.progress(T.variables, seconds: 100),
            T.progress(T.branches, completed: true),
        ]
        let context = LearnerContext(user: user, purchases: [T.purchase()], progress: rows)
        #expect(context.userID == T.learnerID)
        #expect(context.tenantID == T.tenantID)
        #expect(context.completedLessonIDs == [T.intro.id, T.branches.id])
        #expect(decide(T.variables, context) == .granted(.purchased))
        #expect(decide(T.loopsQuiz, context) == .granted(.purchased))
    }

    // MARK: Whole course

    @Test func decideAllFollowsStudyOrder() {
        let decisions = LessonAccess.decideAll(in: T.outline(), for: owner(completed: [T.intro.id]))
        #expect(decisions.map(\.0.id) == T.lessonsInStudyOrder.map(\.id))
        #expect(decisions.map(\.1) == [
            .granted(.purchased),
            .granted(.purchased),
            .locked(.requiresPrevious(lessonID: T.variables.id, lessonTitle: "Variables")),
            .locked(.requiresPrevious(lessonID: T.branches.id, lessonTitle: "If and switch")),
            .granted(.purchased),
        ])
    }

    @Test func decideAllForAStranger() {
        let decisions = LessonAccess.decideAll(in: T.outline(), for: T.learner())
        let buy = AccessDecision.locked(.purchaseRequired(price: 49, currency: .eur))
        #expect(decisions.map(\.1) == [.granted(.freeLesson), buy, buy, buy, buy])
    }

    @Test func decideAllAgreesWithDecide() {
        let outline = T.outline()
        let learners = [
            T.learner(), owner(), owner(completed: [T.intro.id, T.variables.id, T.branches.id]),
            T.learner(status: .suspended), T.learner(id: T.instructorID, role: .instructor),
        ]
        for learner in learners {
            for (lesson, decision) in LessonAccess.decideAll(in: outline, for: learner) {
                #expect(decision == LessonAccess.decide(lesson: lesson, in: outline, for: learner), "\(lesson.title)")
            }
        }
    }
}
