// Connected components of thresholded ink, 8-connected, by breadth-first flood fill.
//
// Why components: a cell crop holds the digit plus things that are not the digit (dust, the
// leftovers of the printed cell lines, a neighbour's stroke). Those are separate blobs, so
// deciding per blob is both cheap and robust. 8-connectivity because a thin diagonal pen
// stroke, once thresholded, often touches only at corners; 4-connectivity would split it.
// Flood fill rather than two-pass union-find: ink covers a small share of a crop, so the
// fill touches few pixels. The fill's queue doubles as the result: each component's pixels
// end up contiguous in it, so no per-pixel label image is needed afterwards, which keeps the
// memory per call small enough that the allocator does not return pages to the system and
// fault them back in on every call.
struct InkComponent {
    var area = 0
    /// Its pixels with ink at or above the `strong` level (all of them when that is the threshold).
    var strongArea = 0
    var minX: Int, minY: Int, maxX: Int, maxY: Int
    /// This component's pixels are `pixels[first ..< first + area]` of its `InkComponents`.
    var first: Int

    var boxWidth: Int { maxX - minX + 1 }
    var boxHeight: Int { maxY - minY + 1 }
}

struct InkComponents {
    let components: [InkComponent]
    /// Pixel indices (y * width + x), grouped by component.
    let pixels: [Int32]

    /// Components of ink at or above `threshold`; `strong` only counts pixels (`strongArea`).
    init(_ image: InkImage, threshold: Float, strong: Float? = nil) {
        let strong = strong ?? threshold
        let w = image.width, h = image.height, pw = w + 2
        let count = pw * (h + 2)
        // Unvisited ink is 1 in `open`, paper and the 1-px border 0, so neighbour lookups need
        // no bounds checks; queueing a pixel closes it.
        let open = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        defer { open.deallocate() }
        open.initialize(repeating: 0, count: count)
        var inked = 0
        let ink = image.ink
        ink.withUnsafeBufferPointer { ink in
            for y in 0..<h {
                let row = open + (y + 1) * pw + 1, src = ink.baseAddress! + y * w
                for x in 0..<w {
                    let on: UInt8 = src[x] >= threshold ? 1 : 0
                    row[x] = on
                    inked &+= Int(on)
                }
            }
        }
        var components: [InkComponent] = []
        // The queue holds border-padded indices until a pixel is dequeued, its image index after.
        pixels = [Int32](unsafeUninitializedCapacity: inked) { queue, filled in
            var tail = 0
            func fill(from start: Int) {
                var c = InkComponent(minX: w, minY: h, maxX: 0, maxY: 0, first: tail)
                open[start] = 0
                queue[tail] = Int32(start)
                tail &+= 1
                var head = c.first
                @inline(__always) func visit(_ q: Int) {
                    if open[q] != 0 {
                        open[q] = 0
                        queue[tail] = Int32(truncatingIfNeeded: q)
                        tail &+= 1
                    }
                }
                while head < tail {
                    let p = Int(queue[head])
                    let x = p % pw &- 1, y = p / pw &- 1
                    queue[head] = Int32(truncatingIfNeeded: y &* w &+ x)
                    if ink[y &* w &+ x] >= strong { c.strongArea &+= 1 }
                    head &+= 1
                    c.minX = min(c.minX, x); c.maxX = max(c.maxX, x)
                    c.minY = min(c.minY, y); c.maxY = max(c.maxY, y)
                    visit(p &- pw &- 1); visit(p &- pw); visit(p &- pw &+ 1); visit(p &- 1)
                    visit(p &+ 1); visit(p &+ pw &- 1); visit(p &+ pw); visit(p &+ pw &+ 1)
                }
                c.area = tail - c.first
                components.append(c)
            }
            var start = pw
            while start < count - pw {
                // Most of a crop is paper: skip it eight bytes at a time.
                if start + 8 <= count && UnsafeRawPointer(open + start).loadUnaligned(as: UInt64.self) == 0 {
                    start &+= 8
                    continue
                }
                if open[start] != 0 { fill(from: start) }
                start &+= 1
            }
            filled = tail
        }
        self.components = components
    }
}
