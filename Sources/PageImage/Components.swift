// Connected components (4-connected) of the dark cells of a coarse map, with the moments the
// mark test needs: area, bounding box, centroid and second central moments.
//
// Why a flood fill with an explicit stack rather than two-pass union-find: the maps are small
// (a few ten thousand cells), the fill visits each cell once, and its statistics accumulate in
// the same pass without a relabelling step. 4-connectivity keeps a mark from being joined to
// text that only touches it at a corner after blurring.

struct Component {
    var area = 0
    var minX = Int.max, minY = Int.max, maxX = Int.min, maxY = Int.min
    var sumX = 0.0, sumY = 0.0, sumXX = 0.0, sumYY = 0.0
    var touchesEdge = false

    var boxWidth: Int { maxX - minX + 1 }
    var boxHeight: Int { maxY - minY + 1 }

    /// Polar moment of inertia over area squared: 1/6 for a filled square at any rotation,
    /// 1/(2 pi) for a disc, more for anything elongated, hollow or ragged.
    var compactness: Double {
        let n = Double(area)
        return (sumXX - sumX * sumX / n + sumYY - sumY * sumY / n) / (n * n)
    }

    fileprivate mutating func add(_ x: Int, _ y: Int) {
        area += 1
        minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        let fx = Double(x), fy = Double(y)
        sumX += fx; sumY += fy; sumXX += fx * fx; sumYY += fy * fy
    }
}

extension CoarseMap {
    /// Components of cells darker than `threshold`. `touchesEdge` marks those that reach the
    /// map's border, whose true extent (and so centre) is unknown.
    func components(darkerThan threshold: Int) -> [Component] {
        let (w, h) = (width, height)
        var seen = [Bool](repeating: false, count: w * h)
        var stack: [Int] = []
        var found: [Component] = []
        func push(_ index: Int) {
            if !seen[index] && Int(values[index]) < threshold {
                seen[index] = true
                stack.append(index)
            }
        }
        for start in 0..<(w * h) where !seen[start] && Int(values[start]) < threshold {
            var component = Component()
            push(start)
            while let index = stack.popLast() {
                let x = index % w, y = index / w
                component.add(x, y)
                if x == 0 || y == 0 || x == w - 1 || y == h - 1 { component.touchesEdge = true }
                if x > 0 { push(index - 1) }
                if x < w - 1 { push(index + 1) }
                if y > 0 { push(index - w) }
                if y < h - 1 { push(index + w) }
            }
            found.append(component)
        }
        return found
    }
}
