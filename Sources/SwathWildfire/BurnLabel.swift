import Foundation
import SwathGeo

/// A burn-scar label on the post-fire scene, in the scene's CRS.
public struct BurnLabel: Sendable {
    public var geometry: MultiPolygon
    /// The taxonomy class (standard taxonomy: 201 unburned … 205 high severity).
    public var classId: Int
    /// Whether the class means burned ground (every burn-scar class but "unburned").
    public var burned: Bool
    /// When the perimeter was seen (its scene's acquisition): dated
    /// perimeters of two or more times make the spread features.
    public var observedAt: Date?

    public init(geometry: MultiPolygon, classId: Int, burned: Bool, observedAt: Date? = nil) {
        self.geometry = geometry
        self.classId = classId
        self.burned = burned
        self.observedAt = observedAt
    }
}
