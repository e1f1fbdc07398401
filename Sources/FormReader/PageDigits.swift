// The written digit cells of one page laid end to end in a fixed order, and what the networks
// made of them. Every cell goes through the first network in one batch; the committee later
// re-reads the cells of the fields named to it, reusing the first network's logits, so no cell
// runs through the same network twice.
import ConvNet
import FieldRules

struct PageDigits {
    private let cells: [String: [(digit: [Float]?, empty: Double)]]
    /// Each field's rows in `samples` (fields in name order, written cells only).
    private var rows: [String: Range<Int>] = [:]
    private var samples: [Float] = []
    private var logits: [Float] = []
    private(set) var readings: [String: [CellReading]] = [:]
    private static let classes = 10

    init(_ cells: [String: [(digit: [Float]?, empty: Double)]]) {
        self.cells = cells
        var count = 0
        for name in cells.keys.sorted() {
            let written = cells[name]!.compactMap(\.digit)
            rows[name] = count..<count + written.count
            samples += written.joined()
            count += written.count
        }
    }

    mutating func classify(_ network: Network, workspace: Workspace) {
        logits = samples.withUnsafeBufferPointer { network.logits($0, count: samples.count / network.inputSize, workspace: workspace) }
        let probabilities = Softmax.probabilities(logits, classes: Self.classes, temperature: network.temperature)
        for (name, range) in rows { read(name, probabilities[(range.lowerBound * Self.classes)...]) }
    }

    /// The committee's reading replaces the first network's for these fields.
    mutating func consult(_ committee: Ensemble, fields: [String], workspaces: [Workspace]) {
        let chosen = fields.compactMap { name in rows[name].map { (name, $0) } }
        let size = committee.inputSize, classes = Self.classes
        let subset = chosen.flatMap { samples[($0.1.lowerBound * size)..<($0.1.upperBound * size)] }
        let subsetLogits = chosen.flatMap { logits[($0.1.lowerBound * classes)..<($0.1.upperBound * classes)] }
        let count = subsetLogits.count / classes
        let probabilities = subset.withUnsafeBufferPointer {
            committee.probabilities($0, count: count, primaryLogits: subsetLogits, workspaces: workspaces)
        }
        var at = 0
        for (name, range) in chosen {
            read(name, probabilities[(at * classes)...])
            at += range.count
        }
    }

    /// The field's cells with the probabilities of its written ones, which start `probabilities`.
    private mutating func read(_ name: String, _ probabilities: ArraySlice<Float>) {
        var next = probabilities.startIndex
        let uniform = [Double](repeating: 0.1, count: Self.classes)
        readings[name] = cells[name]!.map { cell in
            guard cell.digit != nil else { return CellReading(empty: cell.empty, digits: uniform) }
            defer { next += Self.classes }
            return CellReading(empty: cell.empty, digits: probabilities[next..<(next + Self.classes)].map(Double.init))
        }
    }
}
