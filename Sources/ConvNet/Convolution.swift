// Convolution as im2col followed by one GEMM per batch (darknet/Caffe). In NHWC the im2col
// matrix has one row per output pixel of the whole batch and one column per (ky, kx, c), so
// the GEMM's result [batch·H·W, outChannels] already is the NHWC output: no transposes.
// The columns are kept in scratch for the weight gradient; backward's column gradient is
// folded back by col2im.
import BlankettSupport

public struct Convolution: Layer {
    public let input: Shape, output: Shape
    public let kernel: Int, padding: Int

    public init(input: Shape, kernel: Int, outChannels: Int, padding: Int) {
        self.input = input
        self.kernel = kernel
        self.padding = padding
        output = Shape(input.height + 2 * padding - kernel + 1, input.width + 2 * padding - kernel + 1, outChannels)
    }

    var patch: Int { kernel * kernel * input.channels }
    var pixels: Int { output.height * output.width }
    public var parameterCount: Int { patch * output.channels + output.channels }
    public var flops: Int { 2 * pixels * patch * output.channels }
    public var scratchPerSample: Int { pixels * patch }

    public func initialize(_ parameters: UnsafeMutableBufferPointer<Float>, using rng: inout SeededGenerator) {
        let scale = (2 / Float(patch)).squareRoot()  // He initialisation for ReLU
        for i in 0..<patch * output.channels { parameters[i] = scale * rng.gaussian() }
        for i in patch * output.channels..<parameterCount { parameters[i] = 0 }
    }

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, batch: Int,
                        parameters: UnsafePointer<Float>, scratch: UnsafeMutablePointer<Float>, pass: Pass) {
        im2col(x, scratch, batch: batch)
        let rows = batch * pixels, oc = output.channels
        let bias = parameters + patch * oc
        for r in 0..<rows { (y + r * oc).update(from: bias, count: oc) }
        BLAS.gemm(m: rows, n: oc, k: patch, a: scratch, lda: patch, b: parameters, ldb: oc, beta: 1, c: y, ldc: oc)
    }

    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>?, batch: Int, parameters: UnsafePointer<Float>,
                         gradients: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>) {
        let rows = batch * pixels, oc = output.channels
        BLAS.gemm(transA: true, m: patch, n: oc, k: rows, a: scratch, lda: patch, b: dy, ldb: oc,
                  beta: 1, c: gradients, ldc: oc)
        let biasGradient = gradients + patch * oc
        for r in 0..<rows {
            let row = dy + r * oc
            for o in 0..<oc { biasGradient[o] += row[o] }
        }
        guard let dx else { return }
        // The columns are no longer needed: their gradient overwrites them in place.
        BLAS.gemm(transB: true, m: rows, n: patch, k: oc, a: dy, lda: oc, b: parameters, ldb: oc,
                  beta: 0, c: scratch, ldc: patch)
        col2im(scratch, dx, batch: batch)
    }

    /// Visits the im2col rows in order: one per (sample, output y, output x).
    @inline(__always)
    private func forEachPatchRow(batch: Int, _ body: (_ row: Int, _ sample: Int, _ oy: Int, _ ox: Int) -> Void) {
        var row = 0
        for n in 0..<batch {
            for oy in 0..<output.height {
                for ox in 0..<output.width { body(row, n, oy, ox); row += 1 }
            }
        }
    }

    func im2col(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, batch: Int) {
        let c = input.channels, w = input.width, h = input.height, sampleSize = input.count
        forEachPatchRow(batch: batch) { row, n, oy, ox in
            var out = cols + row * patch
            let sample = x + n * sampleSize
            for ky in 0..<kernel {
                let iy = oy + ky - padding
                let rowRun = kernel * c
                guard iy >= 0, iy < h else { out.update(repeating: 0, count: rowRun); out += rowRun; continue }
                let ix0 = ox - padding
                if ix0 >= 0, ix0 + kernel <= w {
                    out.update(from: sample + (iy * w + ix0) * c, count: rowRun)
                    out += rowRun
                } else {
                    for kx in 0..<kernel {
                        let ix = ix0 + kx
                        if ix >= 0, ix < w { out.update(from: sample + (iy * w + ix) * c, count: c) }
                        else { out.update(repeating: 0, count: c) }
                        out += c
                    }
                }
            }
        }
    }

    func col2im(_ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, batch: Int) {
        let c = input.channels, w = input.width, h = input.height, sampleSize = input.count
        dx.update(repeating: 0, count: batch * sampleSize)
        forEachPatchRow(batch: batch) { row, n, oy, ox in
            var from = cols + row * patch
            let sample = dx + n * sampleSize
            for ky in 0..<kernel {
                let iy = oy + ky - padding
                for kx in 0..<kernel {
                    let ix = ox + kx - padding
                    if iy >= 0, iy < h, ix >= 0, ix < w {
                        let to = sample + (iy * w + ix) * c
                        for ch in 0..<c { to[ch] += from[ch] }
                    }
                    from += c
                }
            }
        }
    }
}
