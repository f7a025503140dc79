/// One band of a wildfire feature stack: its name (the band description),
/// formula and units, as `features.json` documents them. Every band is
/// Float32 with nodata `WildfireFeature.noData`.
public struct WildfireFeature: Equatable, Hashable, Sendable {
    public let name: String
    public let formula: String
    public let units: String
    public let group: Group

    public enum Group: String, CaseIterable, Sendable {
        case spectral, change, terrain, fire, spread, landcover
    }

    /// Where an input is missing, a denominator is zero or a result is not finite.
    public static let noData: Float = -9999

    static func spectral(_ index: SpectralIndex, _ when: String) -> WildfireFeature {
        WildfireFeature(name: "\(index.rawValue)_\(when)", formula: index.formula + " (\(when)-fire reflectance)",
                        units: "ratio", group: .spectral)
    }

    public static let dnbr = WildfireFeature(name: "dnbr", formula: "nbr_pre − nbr_post", units: "ratio", group: .change)
    public static let rdnbr = WildfireFeature(name: "rdnbr", formula: "dnbr / √|nbr_pre|", units: "ratio", group: .change)
    public static let rbr = WildfireFeature(name: "rbr", formula: "dnbr / (nbr_pre + 1.001)", units: "ratio", group: .change)
    public static let severity = WildfireFeature(
        name: "severity",
        formula: "USGS dNBR classes (Key & Benson): 1 enhanced regrowth (< −0.100), 2 unburned (−0.100 to < 0.100), "
            + "3 low (0.100 to < 0.270), 4 moderate-low (0.270 to < 0.440), 5 moderate-high (0.440 to < 0.660), 6 high (≥ 0.660)",
        units: "class", group: .change)
    public static let elevation = WildfireFeature(name: "elevation", formula: "DEM, bilinear onto the scene grid", units: "DEM units (m)", group: .terrain)
    public static let slope = WildfireFeature(name: "slope_deg", formula: "Horn (1981) slope, as gdaldem slope", units: "degrees", group: .terrain)
    public static let aspectSin = WildfireFeature(name: "aspect_sin", formula: "sin(Horn aspect, clockwise from north; flat = nodata)", units: "ratio", group: .terrain)
    public static let aspectCos = WildfireFeature(name: "aspect_cos", formula: "cos(Horn aspect, clockwise from north; flat = nodata)", units: "ratio", group: .terrain)
    public static let hillshade = WildfireFeature(name: "hillshade", formula: "Horn derivatives, sun azimuth 315°, altitude 45°, as gdaldem hillshade",
                                                  units: "1–255", group: .terrain)
    public static let tpi = WildfireFeature(name: "tpi", formula: "elevation − mean of the 8 neighbours", units: "DEM units", group: .terrain)
    public static let burned = WildfireFeature(name: "burned", formula: "1 where a burn-scar label of a burned class covers the pixel centre, else 0",
                                               units: "mask", group: .fire)
    public static let burnClass = WildfireFeature(name: "burn_class", formula: "the burn-scar label's taxonomy class (e.g. 201 unburned … 205 high), 0 unlabelled",
                                                  units: "class", group: .fire)
    public static let fireDistance = WildfireFeature(
        name: "fire_distance_m", formula: "distance between pixel centres to the other side of the burned mask's edge (GDAL proximity); negative inside",
        units: "metres", group: .fire)
    public static let burnedFraction1km = WildfireFeature(name: "burned_fraction_1km", formula: "burned share of the 2 km × 2 km square centred on the pixel",
                                                          units: "ratio", group: .fire)
    public static let burnedFraction3km = WildfireFeature(name: "burned_fraction_3km", formula: "burned share of the 6 km × 6 km square centred on the pixel",
                                                          units: "ratio", group: .fire)
    public static let spreadRate = WildfireFeature(
        name: "spread_rate_m_per_day", formula: "distance from the previous dated perimeter (GDAL proximity) / days between the two, where the fire arrived",
        units: "m/day", group: .spread)
    public static let spreadSin = WildfireFeature(name: "spread_dir_sin", formula: "sin of the spread azimuth (gradient of the distance from the previous perimeter)",
                                                  units: "ratio", group: .spread)
    public static let spreadCos = WildfireFeature(name: "spread_dir_cos", formula: "cos of the spread azimuth", units: "ratio", group: .spread)
    public static let upslopeAlignment = WildfireFeature(
        name: "spread_upslope_alignment", formula: "cosine between the spread direction and upslope (Horn gradient); needs a DEM",
        units: "ratio", group: .spread)
    public static let timeSinceBurn = WildfireFeature(name: "time_since_burn_days", formula: "post-fire acquisition − time of the first perimeter that holds the pixel",
                                                      units: "days", group: .spread)
    public static let landCover = WildfireFeature(name: "land_cover", formula: "the land-cover label's taxonomy class (WorldCover codes in the standard taxonomy), 0 unlabelled",
                                                  units: "class", group: .landcover)
    public static let tri = WildfireFeature(name: "tri", formula: "√Σ(neighbour − centre)² over the 8 neighbours (Riley)", units: "DEM units", group: .terrain)
}
