// A measured Duration as the Double the benchmarks and reports print.
extension Duration {
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) * 1e-18
    }

    public var milliseconds: Double { seconds * 1000 }
}
