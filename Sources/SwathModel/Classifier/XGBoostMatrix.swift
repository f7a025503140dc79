import CXGBoost

/// An XGBoost DMatrix of dense Float32 rows (NaN: missing), with class labels and instance weights.
final class XGBoostMatrix: @unchecked Sendable {
    let handle: DMatrixHandle
    let rows: Int

    init(values: [Float], columns: Int, threads: Int) throws {
        precondition(columns > 0 && values.count % columns == 0, "a whole number of rows")
        rows = values.count / columns
        var handle: DMatrixHandle?
        try XGBoost.check(XGDMatrixCreateFromMat_omp(values, bst_ulong(rows), bst_ulong(columns), .nan, &handle, Int32(threads)),
                          "making a matrix of \(rows) samples")
        guard let handle else { throw ModelError("XGBoost returned no matrix") }
        self.handle = handle
    }

    func set(_ field: String, _ values: [Float]) throws {
        precondition(values.count == rows, "one value per row")
        try XGBoost.check(XGDMatrixSetFloatInfo(handle, field, values, bst_ulong(values.count)), "setting \(field)")
    }

    deinit { XGDMatrixFree(handle) }
}
