import Foundation
import SwathGeo

/// A land-cover label as fuel: its class and shape in the dataset's CRS, and the acquisition time of the
/// scene it was drawn on (nil: an undated scene). An observation's fuel uses only labels from then or
/// before, so cover drawn after a fire ("bare" where it burned) never tells a sample where it will burn.
public struct LandCoverLabel: Sendable {
    public var time: Date?
    public var label: ClassedShape

    public init(time: Date?, label: ClassedShape) {
        (self.time, self.label) = (time, label)
    }
}
