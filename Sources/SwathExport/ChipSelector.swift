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
        var chips: [(chip: ChipSlot, labels: [ChipLabel])] = []
        var droppedForBuffer = 0
        var outsideReviewedTasks = 0
        var skippedBackground = 0
    }

    func select(scene: Scene, tasks: [LabelTask], labels: [Label]) -> Selection {
        var selection = Selection()
        let splitter = SpatialSplitter(spec: options.split, chipSize: options.chipSize, overlap: options.overlap)
        let grid = TileGrid(sceneSize: Size(width: scene.width, height: scene.height), size: options.chipSize, overlap: options.overlap, edge: .pad)
        let chips = splitter.chips(for: scene)
        selection.droppedForBuffer = grid.count - chips.count
        let taskWindows = tasks.map(\.window)
        let sceneWindow = Window(col: 0, row: 0, width: scene.width, height: scene.height)
        let sceneLabels = SceneLabels(labels)
        for chip in chips {
            switch evaluate(chip, scene: scene, taskWindows: taskWindows, sceneWindow: sceneWindow, labels: sceneLabels) {
            case .kept(let clipped): selection.chips.append((chip, clipped))
            case .unreviewed: selection.outsideReviewedTasks += 1
            case .background: selection.skippedBackground += 1
            }
        }
        return selection
    }

    /// One chip by grid position (the pull API), if an export would serve it.
    func select(scene: Scene, tasks: [LabelTask], labels: [Label], row: Int, col: Int) -> (chip: ChipSlot, labels: [ChipLabel])? {
        let splitter = SpatialSplitter(spec: options.split, chipSize: options.chipSize, overlap: options.overlap)
        guard let chip = splitter.chip(for: scene, row: row, col: col) else { return nil }
        let sceneWindow = Window(col: 0, row: 0, width: scene.width, height: scene.height)
        guard case .kept(let clipped) = evaluate(chip, scene: scene, taskWindows: tasks.map(\.window), sceneWindow: sceneWindow,
                                                 labels: SceneLabels(labels)) else { return nil }
        return (chip, clipped)
    }

    private enum Verdict {
        case kept([ChipLabel])
        case unreviewed
        case background
    }

    private func evaluate(_ chip: ChipSlot, scene: Scene, taskWindows: [Window], sceneWindow: Window, labels: SceneLabels) -> Verdict {
        // Only ground the wanted tasks cover is known: anything else might hold unlabelled objects.
        let inside = chip.window.intersection(sceneWindow)!
        guard inside.coveredPixelCount(by: taskWindows) == inside.pixelCount else { return .unreviewed }
        let footprint = scene.transform.outline(chip.window)
        let clipped = labels.clipped(to: footprint, taxonomy: taxonomy)
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
