import SwathGeo
import SwathLabels

/// A scene's accepted labels on its pixel grid (GDAL's rasterizer: pixel centres inside a label
/// take its class; later labels win): `unlabelled` outside accepted tasks, 0 (background) inside
/// them where no label is, else the 1-based position of the label's class in `classIds`.
struct LabelGrid {
    static let unlabelled = UInt16.max

    let sceneId: SceneID
    let size: Size
    let values: [UInt16]

    init(scene: Scene, tasks: [LabelTask], labels: [Label], classIds: [Int]) throws {
        sceneId = scene.id
        size = Size(width: scene.width, height: scene.height)
        let canvas = try Raster.inMemory(size: size, bandCount: 1, dataType: .uint16)
        try canvas.setGeoTransform(scene.transform)
        let ordinal = Dictionary(uniqueKeysWithValues: classIds.enumerated().map { ($0.element, $0.offset + 1) })
        let burned = labels.filter { ordinal[$0.classId] != nil }
        try canvas.rasterize(burned.map(\.geometry), values: burned.map { Double(ordinal[$0.classId] ?? 0) })
        let classes = try canvas.read(canvas.bounds, as: UInt16.self)
        var values = [UInt16](repeating: Self.unlabelled, count: size.width * size.height)
        for task in tasks {
            guard let window = task.window.intersection(Window(col: 0, row: 0, width: size.width, height: size.height)) else { continue }
            for row in window.row..<(window.row + window.height) {
                let start = row * size.width + window.col
                for index in start..<(start + window.width) { values[index] = classes[index] }
            }
        }
        self.values = values
    }

    /// Labelled pixels per grid value (index 0: background; `classIds.count + 1` entries).
    func counts(classCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: classCount + 1)
        for value in values where value != Self.unlabelled { counts[Int(value)] += 1 }
        return counts
    }
}
