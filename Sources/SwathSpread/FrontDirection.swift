import SwathGeo

/// Which way the fire's front faces at every cell of a fire's grid: away from
/// today's perimeter, as the gradient of the signed distance to it (GDAL's
/// proximity: distance to the fire outside it, minus the distance to unburned
/// ground inside), by central differences. It is the direction the fire spreads
/// into, known at today's observation (no look at tomorrow's). sin and cos of
/// its azimuth, clockwise from north; NaN where the distance is flat (a ridge
/// midway between two fires) or there is no fire or no unburned ground at all.
public struct FrontDirection: Sendable {
    public let sin: [Float]
    public let cos: [Float]

    public init(grid: FireGrid, burned: [Bool]) throws {
        let count = grid.size.width * grid.size.height
        guard burned.contains(true), burned.contains(false) else {
            (sin, cos) = ([Float](repeating: .nan, count: count), [Float](repeating: .nan, count: count))
            return
        }
        let raster = try Raster.inMemory(size: grid.size, bandCount: 1, dataType: .byte)
        try raster.setGeoTransform(grid.transform)
        try raster.write(burned.map { $0 ? UInt8(1) : 0 }, window: raster.bounds, bands: [1])
        let toFire = try raster.proximity(targets: [1]), toUnburned = try raster.proximity(targets: [0])
        let signed = (0..<count).map { burned[$0] ? -(toUnburned[$0] ?? 0) : (toFire[$0] ?? 0) }
        (sin, cos) = Self.gradientAzimuth(signed, width: grid.size.width, height: grid.size.height)
    }

    /// sin and cos of the azimuth of a field's gradient (rows run south): central differences inside, one-sided at the edges.
    static func gradientAzimuth(_ field: [Float], width: Int, height: Int) -> (sin: [Float], cos: [Float]) {
        var sines = [Float](repeating: .nan, count: field.count), cosines = sines
        for row in 0..<height {
            for col in 0..<width {
                let (west, east) = (max(col - 1, 0), min(col + 1, width - 1))
                let (north, south) = (max(row - 1, 0), min(row + 1, height - 1))
                let dEast = (field[row * width + east] - field[row * width + west]) / Float(max(east - west, 1))
                let dNorth = (field[north * width + col] - field[south * width + col]) / Float(max(south - north, 1))
                let length = (dEast * dEast + dNorth * dNorth).squareRoot()
                guard length > 0 else { continue }
                sines[row * width + col] = dEast / length
                cosines[row * width + col] = dNorth / length
            }
        }
        return (sines, cosines)
    }
}
