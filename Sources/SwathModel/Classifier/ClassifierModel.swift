import Foundation

/// A trained pixel classifier, as `swath model train` writes it to a folder: `model.json` (this:
/// what it was trained on and how well it does) beside `booster.json` (XGBoost's own model, which
/// the `xgboost` Python package reads). The id is a digest of the booster: it names the model in
/// the pre-labels it drafts.
public struct ClassifierModel: Codable, Equatable, Sendable {
    public static let format = "swath-pixel-classifier/1"
    public static let metadataFile = "model.json"
    public static let boosterFile = "booster.json"
    public static let maximumClasses = 254

    public var format = ClassifierModel.format
    public var id: String
    public var createdAt: Date
    /// The project's codename (never the customer).
    public var project: String
    public var features: FeatureLayout
    public var featureNames: [String]
    public var classes: [ModelClass]
    /// Training samples per class id (balanced by weight).
    public var samples: [String: Int]
    public var parameters: [String: String]
    public var rounds: Int
    public var validation: ValidationReport
}
