// The only file that touches OpenBLAS. Every GEMM of the network goes through `gemm`, row-major,
// so the layers never see CBLAS enums and a different BLAS would be a change to this file alone.
import CBLAS

public enum BLAS {
    /// C = alpha · op(A) · op(B) + beta · C, row-major; op transposes when the flag says so.
    @inline(__always)
    static func gemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Blankett parallelises across pages or batch shards, one BLAS thread per worker:
    /// OpenBLAS's own threads would fight the workers for the same cores.
    public static func useSingleThread() { openblas_set_num_threads(1) }

    public static var configuration: String { String(cString: openblas_get_config()) }

    /// Single-core sgemm throughput on square n×n matrices, best of `repeats`, in GFLOP/s.
    /// The network's speed is reported as a share of this, measured in the same run.
    public static func measureGFLOPS(n: Int = 512, repeats: Int = 5) -> Double {
        useSingleThread()
        let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            gemm(m: n, n: n, k: n, a: a, lda: n, b: b, ldb: n, beta: 0, c: &c, ldc: n)
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        return 2 * Double(n * n * n) / best / 1e9
    }
}
