import CXGBoost
import Foundation

/// An XGBoost booster: trained round by round on a matrix, saved and loaded as XGBoost's own JSON
/// model (which the `xgboost` Python package reads), and applied to dense Float32 rows in place.
final class XGBoostBooster: @unchecked Sendable {
    let handle: BoosterHandle

    /// A new booster for `matrix` with the given parameters (XGBoost's names).
    init(training matrix: XGBoostMatrix, parameters: [(String, String)]) throws {
        var handle: BoosterHandle?
        var matrices: [DMatrixHandle?] = [matrix.handle]
        try XGBoost.check(XGBoosterCreate(&matrices, 1, &handle), "making a booster")
        guard let handle else { throw ModelError("XGBoost returned no booster") }
        self.handle = handle
        for (name, value) in parameters { try XGBoost.check(XGBoosterSetParam(handle, name, value), "setting \(name)=\(value)") }
    }

    /// A booster read back from XGBoost's JSON model.
    init(json: [UInt8], threads: Int) throws {
        var handle: BoosterHandle?
        try XGBoost.check(XGBoosterCreate(nil, 0, &handle), "making a booster")
        guard let handle else { throw ModelError("XGBoost returned no booster") }
        self.handle = handle
        try json.withUnsafeBytes { bytes in
            try XGBoost.check(XGBoosterLoadModelFromBuffer(handle, bytes.baseAddress, bst_ulong(bytes.count)), "reading the model")
        }
        try XGBoost.check(XGBoosterSetParam(handle, "nthread", String(threads)), "setting nthread")
    }

    func train(on matrix: XGBoostMatrix, rounds: Int) throws {
        for round in 0..<rounds {
            try XGBoost.check(XGBoosterUpdateOneIter(handle, Int32(round), matrix.handle), "in training round \(round + 1)")
        }
    }

    /// XGBoost's JSON model.
    func json() throws -> [UInt8] {
        var length: bst_ulong = 0
        var bytes: UnsafePointer<CChar>?
        try XGBoost.check(XGBoosterSaveModelToBuffer(handle, #"{"format": "json"}"#, &length, &bytes), "saving the model")
        guard let bytes else { throw ModelError("XGBoost returned no model") }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
    }

    /// Class probabilities (rows × classes, row-major) of dense rows of `columns` features (NaN: missing),
    /// by XGBoost's in-place prediction: no copy of the rows into a matrix.
    func probabilities(_ values: UnsafeBufferPointer<Float>, columns: Int, classes: Int) throws -> [Float] {
        let rows = values.count / columns
        guard rows > 0, let base = values.baseAddress else { return [] }
        let interface = #"{"data": [\#(UInt(bitPattern: base)), true], "shape": [\#(rows), \#(columns)], "typestr": "<f4", "version": 3}"#
        let config = #"{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": true, "cache_id": 0, "missing": NaN}"#
        var shape: UnsafePointer<bst_ulong>?
        var dimensions: bst_ulong = 0
        var result: UnsafePointer<Float>?
        try XGBoost.check(XGBoosterPredictFromDense(handle, interface, config, nil, &shape, &dimensions, &result), "predicting \(rows) pixels")
        guard let result, let shape, dimensions == 2, Int(shape[0]) == rows, Int(shape[1]) == classes else {
            throw ModelError("XGBoost returned predictions of an unexpected shape for \(rows) pixels and \(classes) classes")
        }
        return Array(UnsafeBufferPointer(start: result, count: rows * classes))
    }

    deinit { XGBoosterFree(handle) }
}
