/// The features of the pixels of some whole rows of a scene (all of them, or a selection, in
/// order): `values` holds each pixel's
/// `FeatureLayout.count` features together (row-major, as XGBoost reads rows), NaN where
/// a feature is missing; `valid` is false where a band has no data (nothing is predicted there).
struct FeatureStrip {
    var rows: Range<Int>
    var width: Int
    var values: [Float]
    var valid: [Bool]
}
