import SwathGeo
import SwathLabels
import SwathTiling

/// Which chips of a scene an export (or the pull API) serves: split by
/// block with the overlap buffer, only over reviewed ground, labelled chips
/// always and background chips at the seeded ratio; each with its labels.
struct ChipSelector {
    let options: ExportOptions
    let taxonomy: Taxonomy

    struct Selection {
        var chips: [SelectedChip] = []
        var droppedForBuffer = 0
        var outsideReviewedTasks = 0
        var skippedBackground = 0
    }

    /// Every scene's chips, with the buffer between overlapping scenes applied.
    func selectAll(_ source: ExportSource) throws -> [SceneID: Selection] {
        let labelsByScene = Dictionary(grouping: source.labels, by: \.sceneId)
        let tasksByScene = Dictionary(grouping: source.tasks, by: \.sceneId)
        var selections: [SceneID: Selection] = [:]
        for scene in source.scenes {
            guard let tasks = tasksByScene[scene.id], !tasks.isEmpty else { continue }
            selections[scene.id] = try select(scene: scene, tasks: tasks, labels: labelsByScene[scene.id] ?? [])
        }
        let flat = selections.values.flatMap(\.chips)
        for index in try CrossSceneBuffer.conflicts(flat) {
            let dropped = flat[index].chip
            selections[dropped.sceneId]?.chips.removeAll { $0.chip == dropped }
            selections[dropped.sceneId]?.droppedForBuffer += 1
        }
        return selections
    }

    func select(scene: Scene, tasks: [LabelTask], labels: [Label]) throws -> Selection {
        var selection = Selection()
        let splitter = SpatialSplitter(spec: options.split, chipSize: options.chipSize, overlap: options.overlap)
        let grid = TileGrid(sceneSize: Size(width: scene.width, height: scene.height), size: options.chipSize, overlap: options.overlap, edge: .pad)
        let chips = try splitter.chips(for: scene)
        let toWGS84 = try Reprojector.toWGS84(from: scene.crs)
        selection.droppedForBuffer = grid.count - chips.count
        let taskWindows = tasks.map(\.window)
        let sceneWindow = Window(col: 0, row: 0, width: scene.width, height: scene.height)
        let sceneLabels = SceneLabels(labels)
        for chip in chips {
            switch try evaluate(chip, scene: scene, taskWindows: taskWindows, sceneWindow: sceneWindow, labels: sceneLabels) {
            case .kept(let clipped):
                let footprint = try Footprint(window: chip.window, transform: scene.transform, toWGS84: toWGS84)
                selection.chips.append(SelectedChip(chip: chip, labels: clipped, footprint: footprint))
            case .unreviewed: selection.outsideReviewedTasks += 1
            case .background: selection.skippedBackground += 1
            }
        }
        return selection
    }

    private enum Verdict {
        case kept([ChipLabel])
        case unreviewed
        case background
    }

    private func evaluate(_ chip: ChipSlot, scene: Scene, taskWindows: [Window], sceneWindow: Window, labels: SceneLabels) throws -> Verdict {
        // Only ground the wanted tasks cover is known: anything else might hold unlabelled objects.
        guard let inside = chip.window.intersection(sceneWindow) else { return .unreviewed }  // wholly past the edge: nothing known
        guard inside.coveredPixelCount(by: taskWindows) == inside.pixelCount else { return .unreviewed }
        let footprint = scene.transform.outline(chip.window)
        let clipped = try labels.clipped(to: footprint, taxonomy: taxonomy)
        return keep(chip, labels: clipped, chipArea: footprint.area) ? .kept(clipped) : .background
    }

    /// Labelled chips always; background chips (nothing, or too little
    /// labelled) at `backgroundRatio`, drawn from the seed so resumes agree.
    private func keep(_ chip: ChipSlot, labels: [ChipLabel], chipArea: Double) -> Bool {
        let labelled = min(1, labels.reduce(0) { $0 + $1.area } / chipArea)
        if !labels.isEmpty, labelled >= options.minimumLabelledFraction, labelled > 0 { return true }
        let draw = SeededDraw.unit(options.split.seed, 0xBAC6, UInt64(bitPattern: chip.sceneId), UInt64(chip.row), UInt64(chip.col))
        return draw < options.backgroundRatio
    }
}
