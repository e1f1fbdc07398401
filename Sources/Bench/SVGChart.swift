// A small line chart as SVG text: the error–reject curve with its thresholds labelled and the
// operating point marked. Hand-written because one chart does not justify a plotting library,
// and SVG is text, so the recorded result diffs and renders on any code host.
import Foundation

public enum SVGChart {
    public struct Mark: Sendable {
        public var label: String
        public var point: ErrorRejectCurve.Point
        public var colour: String

        public init(label: String, point: ErrorRejectCurve.Point, colour: String) {
            self.label = label
            self.point = point
            self.colour = colour
        }
    }

    static let width = 720.0, height = 440.0
    static let left = 70.0, right = 30.0, top = 40.0, bottom = 60.0

    /// x: share sent to verification, y: error rate among accepted, both in per cent.
    public static func errorReject(_ points: [ErrorRejectCurve.Point], marks: [Mark], title: String) -> String {
        let xs = points.map { 100 * $0.verificationShare }, ys = points.map { 100 * $0.errorRate }
        let xMax = niceCeiling(xs.max() ?? 0), yMax = niceCeiling(ys.max() ?? 0)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ x: Double) -> Double { left + plotW * x / xMax }
        func py(_ y: Double) -> Double { top + plotH * (1 - y / yMax) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var svg = [##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" font-family="sans-serif" font-size="12">"##,
                   ##"<rect width="100%" height="100%" fill="white"/>"##,
                   ##"<text x="\##(f(width / 2))" y="22" text-anchor="middle" font-size="14">\##(escape(title))</text>"##]
        for i in 0...5 {
            let x = xMax * Double(i) / 5, y = yMax * Double(i) / 5
            svg.append(##"<line x1="\##(f(px(x)))" y1="\##(f(top))" x2="\##(f(px(x)))" y2="\##(f(top + plotH))" stroke="#e4e4e4"/>"##)
            svg.append(##"<line x1="\##(f(left))" y1="\##(f(py(y)))" x2="\##(f(left + plotW))" y2="\##(f(py(y)))" stroke="#e4e4e4"/>"##)
            svg.append(##"<text x="\##(f(px(x)))" y="\##(f(top + plotH + 16))" text-anchor="middle">\##(tick(x))</text>"##)
            svg.append(##"<text x="\##(f(left - 6))" y="\##(f(py(y) + 4))" text-anchor="end">\##(tick(y))</text>"##)
        }
        svg.append(##"<rect x="\##(f(left))" y="\##(f(top))" width="\##(f(plotW))" height="\##(f(plotH))" fill="none" stroke="#444"/>"##)
        svg.append(##"<text x="\##(f(left + plotW / 2))" y="\##(f(height - 18))" text-anchor="middle">sent to verification (%)</text>"##)
        svg.append(##"<text transform="translate(18 \##(f(top + plotH / 2))) rotate(-90)" text-anchor="middle">wrong among accepted (%)</text>"##)

        let line = zip(xs, ys).sorted { $0.0 < $1.0 }.map { "\(f(px($0))),\(f(py($1)))" }.joined(separator: " ")
        svg.append(##"<polyline points="\##(line)" fill="none" stroke="#1f5fa8" stroke-width="2"/>"##)
        // One dot per place on the chart, labelled with the thresholds that land there.
        var places: [(x: Double, y: Double, thresholds: [Double])] = []
        for (p, (x, y)) in zip(points, zip(xs, ys)) {
            if let i = places.firstIndex(where: { $0.x == x && $0.y == y }) { places[i].thresholds.append(p.threshold) } else { places.append((x, y, [p.threshold])) }
        }
        // A label that would overprint an earlier one is left out; its dot stays.
        var labelled: [(x: Double, y: Double, width: Double)] = []
        for (x, y, ts) in places {
            let label = ts.count == 1 ? threshold(ts[0]) : "\(threshold(ts.min()!))–\(threshold(ts.max()!))"
            let (lx, ly, width) = (px(x) + 5, py(y) - 6, 6 * Double(label.count))
            svg.append(##"<circle cx="\##(f(px(x)))" cy="\##(f(py(y)))" r="3" fill="#1f5fa8"/>"##)
            guard !labelled.contains(where: { lx < $0.x + $0.width && $0.x < lx + width && abs(ly - $0.y) < 12 }) else { continue }
            labelled.append((lx, ly, width))
            svg.append(##"<text x="\##(f(lx))" y="\##(f(ly))" font-size="10" fill="#555">\##(label)</text>"##)
        }
        for (i, mark) in marks.enumerated() {
            let (x, y) = (px(100 * mark.point.verificationShare), py(100 * mark.point.errorRate))
            svg.append(##"<circle cx="\##(f(x))" cy="\##(f(y))" r="\##(7 + 4 * i)" fill="none" stroke="\##(mark.colour)" stroke-width="2.5"/>"##)
            svg.append(##"<text x="\##(f(left + plotW - 8))" y="\##(f(top + 18 + 16 * Double(i)))" text-anchor="end" fill="\##(mark.colour)">○ \##(escape(mark.label))</text>"##)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (1 for nothing to show).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let base = pow(10, (log10(value)).rounded(.down))
        return [1, 2, 2.5, 5, 10].map { $0 * base }.first { $0 >= value * (1 - 1e-12) }!
    }

    static func tick(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%g", (v * 1000).rounded() / 1000) }

    static func threshold(_ t: Double) -> String { String(format: "%g", t) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
