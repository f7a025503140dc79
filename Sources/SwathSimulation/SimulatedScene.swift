import Foundation
import SwathGeo

/// A synthetic scene with known ground truth: a square grid of tiles in UTM
/// zone 33N at 10 m, each tile holding up to four non-overlapping objects
/// (buildings, fields, burn scars, water) drawn into the imagery.
struct SimulatedScene {
    static let tileSize = 128
    static let classes = [301, 40, 205, 80]
    static let classWeights = [0.4, 0.3, 0.2, 0.1]

    let path: String
    let tilesPerSide: Int
    /// Ground truth per tile, indexed by tile row × tilesPerSide + tile column.
    let truth: [[TruthObject]]
    let georeferencing: Georeferencing

    static func make(in directory: String, tiles: Int, using random: inout SimulationRandom) throws -> SimulatedScene {
        let side = Int(Double(tiles).squareRoot().rounded(.up))
        let truth = (0..<(side * side)).map { _ in objectsForTile(using: &random) }
        let size = side * tileSize
        let path = directory + "/simulated_scene.tif"
        let raster = try Raster.create(path, driver: "GTiff", size: Size(width: size, height: size), bandCount: 3, dataType: .byte,
                                       options: ["TILED=YES", "COMPRESS=DEFLATE"])
        let transform = GeoTransform(originX: 500_000, pixelWidth: 10, originY: 4_600_000, pixelHeight: -10)
        try raster.setGeoTransform(transform)
        let crs = try CRS("EPSG:32633")
        try raster.setCRS(crs)
        try paint(raster, truth: truth, side: side, using: &random)
        try raster.flush()
        return SimulatedScene(path: path, tilesPerSide: side, truth: truth, georeferencing: try Georeferencing(transform: transform, crs: crs))
    }

    static func objectsForTile(using random: inout SimulationRandom) -> [TruthObject] {
        let count = random.chance(0.1) ? 0 : Int.random(in: 1...4, using: &random)
        var objects: [(TruthObject, Point, Double)] = []
        var attempts = 0
        while objects.count < count, attempts < 200 {
            attempts += 1
            let radius = random.uniform(7...22)
            let margin = radius + 4
            let centre = Point(x: random.uniform(margin...(Double(tileSize) - margin)), y: random.uniform(margin...(Double(tileSize) - margin)))
            guard objects.allSatisfy({ hypot($0.1.x - centre.x, $0.1.y - centre.y) > $0.2 + radius + 3 }) else { continue }
            let classId = pickClass(using: &random)
            objects.append((TruthObject.random(centre: centre, radius: radius, classId: classId, using: &random), centre, radius))
        }
        return objects.map(\.0)
    }

    static func pickClass(using random: inout SimulationRandom) -> Int {
        var draw = random.uniform(0...1)
        for (classId, weight) in zip(classes, classWeights) {
            if draw < weight { return classId }
            draw -= weight
        }
        return classes[0]
    }

    /// Soil-coloured noise with each object filled in its class's colour, tile by tile.
    static func paint(_ raster: Raster, truth: [[TruthObject]], side: Int, using random: inout SimulationRandom) throws {
        let colours: [Int: [UInt8]] = [301: [200, 60, 60], 40: [140, 200, 90], 205: [60, 40, 40], 80: [30, 60, 160]]
        let count = tileSize * tileSize
        for tile in truth.indices {
            var planes = [UInt8](repeating: 0, count: 3 * count)
            for index in 0..<count {
                let shade = UInt8(truncatingIfNeeded: 120 + Int.random(in: -12...12, using: &random))
                planes[index] = shade; planes[count + index] = shade &- 10; planes[2 * count + index] = shade &- 30
            }
            for object in truth[tile] {
                let colour = colours[object.classId] ?? [255, 255, 255]
                let xs = object.vertices.map(\.x), ys = object.vertices.map(\.y)
                for row in Int(ys.min()!)...Int(ys.max()!) { for col in Int(xs.min()!)...Int(xs.max()!)
                    where contains(object.vertices, Point(x: Double(col) + 0.5, y: Double(row) + 0.5)) {
                    for band in 0..<3 { planes[band * count + row * tileSize + col] = colour[band] }
                } }
            }
            let window = Window(col: (tile % side) * tileSize, row: (tile / side) * tileSize, width: tileSize, height: tileSize)
            try raster.write(planes, window: window)
        }
    }

    /// Even–odd ray casting.
    static func contains(_ ring: [Point], _ point: Point) -> Bool {
        var inside = false
        for index in ring.indices {
            let a = ring[index], b = ring[(index + 1) % ring.count]
            if (a.y > point.y) != (b.y > point.y), point.x < (b.x - a.x) * (point.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
        }
        return inside
    }

    /// The truth's class at a scene pixel (0: soil), as the scene was painted.
    func truthClass(col: Int, row: Int) -> Int {
        let tile = (row / Self.tileSize) * tilesPerSide + col / Self.tileSize
        guard truth.indices.contains(tile) else { return 0 }
        let point = Point(x: Double(col % Self.tileSize) + 0.5, y: Double(row % Self.tileSize) + 0.5)
        return truth[tile].first { Self.contains($0.vertices, point) }?.classId ?? 0
    }

    /// Which tile a task's window is.
    func tileIndex(of window: Window) -> Int { (window.row / Self.tileSize) * tilesPerSide + window.col / Self.tileSize }

    /// A tile-pixel shape in the scene's CRS.
    func inScene(_ shape: MultiPolygon, tile: Int) -> MultiPolygon {
        let dx = Double((tile % tilesPerSide) * Self.tileSize), dy = Double((tile / tilesPerSide) * Self.tileSize)
        return shape.map { georeferencing.pixelToCRS(Point(x: $0.x + dx, y: $0.y + dy)) }
    }
}
