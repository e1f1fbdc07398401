// Lazy best-first ("k-best") enumeration of whole-field readings in decreasing probability.
//
// Why: a reading's probability is a product over independent cells, so the readings form a
// Cartesian product of per-cell option lists. Sorting each list once and walking the product from
// its all-best corner with a max-heap hands out readings strictly in order of probability while
// touching only those readings and their frontier, so the rules (Luhn, calendar) see the few
// most probable readings and never the 11^n others. Each reading has exactly one parent (step
// back the last cell that is off its best option), so children are only made at or after the
// parent's last stepped cell: nothing is generated twice and no visited set is needed.
// A shape fixes which cells are empty and which hold a digit (the 12- and 10-digit personnummer,
// the phone lengths); each shape is its own product, all share one heap. Keys are log
// probabilities so long products neither underflow nor need rescaling.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

struct FieldReading {
    /// Per cell: the digit, or -1 for empty.
    let symbols: [Int]
    let probability: Double

    var digits: [Int] { symbols.filter { $0 >= 0 } }
}

struct BestFirstEnumerator {
    private struct Option {
        let symbol: Int
        let logP: Double
    }

    /// `ranks` packs each cell's position in its sorted option list into 4 bits (≤ 11 options).
    private struct Node {
        let logP: Double
        let shape: Int
        let pivot: Int
        let ranks: UInt64
    }

    private let options: [[[Option]]]
    private var heap: [Node] = []
    private(set) var expansions = 0

    /// `shapes[s][i]` is true where shape s needs a digit in cell i, false where it needs empty.
    init(cells: [CellReading], shapes: [[Bool]]) {
        precondition(cells.count <= 16, "ranks are packed 4 bits per cell into 64 bits")
        options = shapes.map { shape in
            zip(cells, shape).map { cell, written in
                let outcomes = written ? (0...9).map { ($0, cell.probability(ofDigit: $0)) } : [(-1, cell.empty)]
                return outcomes.filter { $0.1 > 0 }
                    .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
                    .map { Option(symbol: $0.0, logP: log($0.1)) }
            }
        }
        for (s, cellOptions) in options.enumerated() where cellOptions.allSatisfy({ !$0.isEmpty }) {
            push(Node(logP: cellOptions.reduce(0) { $0 + $1[0].logP }, shape: s, pivot: 0, ranks: 0))
        }
    }

    /// Probability of the best reading not yet returned; no later reading is more probable.
    var bestRemaining: Double { heap.first.map { exp($0.logP) } ?? 0 }

    mutating func next() -> FieldReading? {
        guard let node = pop() else { return nil }
        expansions += 1
        let cellOptions = options[node.shape]
        for i in node.pivot..<cellOptions.count {
            let r = Int(node.ranks >> (4 * UInt64(i)) & 15)
            guard r + 1 < cellOptions[i].count else { continue }
            push(Node(logP: node.logP - cellOptions[i][r].logP + cellOptions[i][r + 1].logP,
                      shape: node.shape, pivot: i, ranks: node.ranks + 1 << (4 * UInt64(i))))
        }
        let symbols = cellOptions.indices.map { cellOptions[$0][Int(node.ranks >> (4 * UInt64($0)) & 15)].symbol }
        return FieldReading(symbols: symbols, probability: exp(node.logP))
    }

    private mutating func push(_ node: Node) {
        heap.append(node)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[parent].logP < heap[child].logP else { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func pop() -> Node? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return top }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var largest = parent
            if left < heap.count, heap[left].logP > heap[largest].logP { largest = left }
            if right < heap.count, heap[right].logP > heap[largest].logP { largest = right }
            if largest == parent { return top }
            heap.swapAt(parent, largest)
            parent = largest
        }
    }
}
