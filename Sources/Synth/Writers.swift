// Who writes a synthetic page's digits: MNIST's writers (cut from the digit images), the
// pen-trajectory model (StrokeWriter), or a draw between them page by page.
//
// Why per page and from a stream of its own (PagePlan.Stream.writers): one applicant fills a
// whole form, so a page's digits share one hand; and drawing the choice apart from the drawing
// stream keeps every MNIST page of a run what it was, whichever writers the run asks for.
import BlankettSupport

public enum Writers: String, Sendable, CaseIterable {
    case mnist, strokes, mixed

    /// Whether this page is written by the stroke model: half the pages of a mixed run.
    func strokes(using rng: inout SeededGenerator) -> Bool {
        switch self {
        case .mnist: false
        case .strokes: true
        case .mixed: rng.chance(0.5)
        }
    }
}
