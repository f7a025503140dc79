import Foundation
import SwathGeo

/// Dated fire perimeters on the scene's grid: burned labels grouped by the
/// time they were observed (two or more times make a series). Perimeters
/// are cumulative — ground burned once stays burned — so step k's mask is
/// the union of every label observed up to it.
///
/// Per pixel it gives the step the fire arrived in; for ground reached after
/// the first step, the spread rate (distance from the previous perimeter,
/// by GDAL proximity, over the days between the two) and the spread
/// direction (the gradient of that distance field: away from the old edge).
final class PerimeterSeries: Sendable {
    let times: [Date]
    /// First step burning each pixel; -1 = never.
    let arrival: [Int16]
    /// Metres per day; nil off the front (first step, unburned).
    let rate: [Float?]
    /// Unit vector (east, north) of spread; nil where there is no rate or the field is flat.
    let direction: [(east: Float, north: Float)?]
    let steps: [Step]

    /// One row of the perimeter table: one fire at one time.
    struct Step: Sendable {
        /// Fires are the separate polygons of the last perimeter, numbered from 1.
        let fire: Int
        let index: Int
        let time: Date
        let areaHectares: Double
        let perimeterMetres: Double
        let meanRate: Double?
        let maxRate: Double?
        /// Degrees clockwise from north of the mean spread direction.
        let dominantDirection: Double?
    }

    /// nil when the labels hold fewer than two distinct times.
    init?(labels: [BurnLabel], scene: Raster) throws {
        let dated = labels.filter { $0.burned && $0.observedAt != nil }
        let times = Array(Set(dated.map { $0.observedAt! })).sorted()
        guard times.count >= 2 else { return nil }
        self.times = times
        let size = scene.size, transform = scene.geoTransform!, crs = scene.crs!
        let metresPerUnit = crs.metresPerUnit
        let pixelArea = abs(transform.determinant) * metresPerUnit * metresPerUnit
        var arrival = [Int16](repeating: -1, count: size.width * size.height)
        var rate = [Float?](repeating: nil, count: arrival.count)
        var direction = [(east: Float, north: Float)?](repeating: nil, count: arrival.count)
        var steps: [Step] = []
        var previous: Raster?
        // Each separate polygon of the final perimeter is one fire; pixels carry its number.
        let fires = try MultiPolygon.union(dated.map(\.geometry)).polygons
        let fireMap = try Raster.inMemory(matching: scene, bandCount: 1, dataType: .uint16)
        try fireMap.rasterize(fires.map { MultiPolygon($0) }, values: fires.indices.map { Double($0 + 1) })
        let fireOf = try fireMap.read(fireMap.bounds, as: UInt16.self)
        for (index, time) in times.enumerated() {
            let shapes = dated.filter { $0.observedAt! <= time }.map(\.geometry)
            let outline = try MultiPolygon.union(shapes)
            let mask = try Raster.inMemory(matching: scene, bandCount: 1, dataType: .byte)
            try mask.rasterize([outline], values: [1])
            let burned = try mask.read(mask.bounds, as: UInt8.self)
            var newcomers: [Int] = []
            for pixel in burned.indices where burned[pixel] == 1 && arrival[pixel] < 0 {
                arrival[pixel] = Int16(index)
                newcomers.append(pixel)
            }
            var rates = [[Double]](repeating: [], count: fires.count + 1)
            var sums = [(east: Double, north: Double)](repeating: (0, 0), count: fires.count + 1)
            if let previous, !newcomers.isEmpty {
                let days = time.timeIntervalSince(times[index - 1]) / 86_400
                let distance = try previous.proximity(targets: [1]).map { $0.map { Double($0) * metresPerUnit } }
                for pixel in newcomers {
                    guard let metres = distance[pixel], days > 0 else { continue }
                    let value = metres / days, fire = Int(fireOf[pixel])
                    rate[pixel] = Float(value)
                    rates[fire].append(value)
                    if let unit = Self.gradientDirection(distance, pixel: pixel, size: size, transform: transform) {
                        direction[pixel] = (Float(unit.east), Float(unit.north))
                        sums[fire].east += unit.east
                        sums[fire].north += unit.north
                    }
                }
            }
            var burnedPerFire = [Int](repeating: 0, count: fires.count + 1)
            for pixel in burned.indices where burned[pixel] == 1 { burnedPerFire[Int(fireOf[pixel])] += 1 }
            for (offset, polygon) in fires.enumerated() where burnedPerFire[offset + 1] > 0 {
                let fire = offset + 1
                var dominant: Double?
                if sums[fire].east != 0 || sums[fire].north != 0 {
                    var degrees = atan2(sums[fire].east, sums[fire].north) * 180 / .pi
                    if degrees < 0 { degrees += 360 }
                    dominant = degrees
                }
                let part = try outline.intersection(MultiPolygon(polygon))
                steps.append(Step(fire: fire, index: index, time: time, areaHectares: Double(burnedPerFire[fire]) * pixelArea / 10_000,
                                  perimeterMetres: part.perimeter * metresPerUnit,
                                  meanRate: rates[fire].isEmpty ? nil : rates[fire].reduce(0, +) / Double(rates[fire].count),
                                  maxRate: rates[fire].max(), dominantDirection: dominant))
            }
            previous = mask
        }
        self.arrival = arrival
        self.rate = rate
        self.direction = direction
        self.steps = steps
    }

    /// The distance field's gradient at a pixel (central differences, one-sided
    /// at edges), taken from pixel axes to the CRS's east and north through
    /// the geotransform, as a unit vector.
    static func gradientDirection(_ field: [Double?], pixel: Int, size: Size, transform: GeoTransform) -> (east: Double, north: Double)? {
        let (x, y) = (pixel % size.width, pixel / size.width)
        func value(_ col: Int, _ row: Int) -> Double? {
            guard col >= 0, row >= 0, col < size.width, row < size.height else { return nil }
            return field[row * size.width + col]
        }
        func derivative(_ before: Double?, _ here: Double?, _ after: Double?) -> Double? {
            if let before, let after { return (after - before) / 2 }
            if let here, let after { return after - here }
            if let before, let here { return here - before }
            return nil
        }
        guard let gx = derivative(value(x - 1, y), value(x, y), value(x + 1, y)),
              let gy = derivative(value(x, y - 1), value(x, y), value(x, y + 1)) else { return nil }
        // ∇crs = J⁻ᵀ ∇pixel, J = [[c1, c2], [c4, c5]] (x = c0 + col·c1 + row·c2, y = c3 + col·c4 + row·c5).
        let c = transform.coefficients
        let determinant = c[1] * c[5] - c[2] * c[4]
        guard determinant != 0 else { return nil }
        let east = (c[5] * gx - c[4] * gy) / determinant
        let north = (-c[2] * gx + c[1] * gy) / determinant
        let length = (east * east + north * north).squareRoot()
        guard length > 0 else { return nil }
        return (east / length, north / length)
    }
}
