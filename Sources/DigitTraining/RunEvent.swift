// How a run that takes minutes to hours reports on itself. The library only says what happens;
// the caller decides how a person sees it (the command line draws progress bars on stderr).
public enum RunEvent: Sendable {
    /// A line for the person waiting.
    case note(String)
    /// A stage of `total` steps begins; the `.step` events that follow count its progress.
    case stage(String, total: Int)
    case step(Int, detail: String)
}
