#!/usr/bin/env python3
"""End-to-end test of the analyst workbench in headless Chromium.

Builds its own database with the swath CLI (as scripts/demo.sh does), starts
`swath serve` on a free loopback port, then as the annotator signs in, picks
BLUEJAY, claims a task, draws a polygon by clicking the map, picks a class,
grows a region with the magic wand and undoes it, saves and submits; checks
through the API that the saved ring lies within one scene pixel of the clicks
(computed here with the spherical Web Mercator formulas, not with Leaflet);
checks that the customer's name never reaches the page; then as the reviewer
accepts the task and checks the API says so.

Run from the repository root:  python3 Tests/browser/test_workbench.py
Environment: SWATH_BIN (default .build/debug/swath), SWATH_WEB_DIR (passed as
--web-dir when set), SWATH_KEEP_TMP=1 keeps the temporary directory.
Exit status 0 when every check passed, 1 otherwise; on failure a screenshot
and the browser console are saved and their paths printed.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'support'))
from swath_process import SwathProcess  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
FIXTURE = os.path.join(REPO, 'Fixtures', 'utm_multiband.tif')
CUSTOMER = 'Acme Defense Ltd'
CODENAME = 'BLUEJAY'
POLAR_CODENAME = 'PENGUIN'   # a second project whose scene is centred on the North Pole
COHORT = 'NORTH'
VENDOR = 'Northwind Staffing'
# Pay by hand: cents per accepted task and per accepted label.
PER_TASK = 150
PER_LABEL = 20
CLASS_BY_KEY = 20      # standard taxonomy: the second class, picked with key "2"
CLASS_PICKED = 301     # "building", picked with its button
FAILURE_PNG = '/tmp/swath-browser-failure.png'
FAILURE_CONSOLE = '/tmp/swath-browser-failure-console.log'
WAIT = 20              # seconds for any one thing to happen in the page


class CheckFailed(Exception):
    pass


def snapshot(page, name):
    """With SWATH_SCREENSHOTS=DIR, keeps a picture of the page for a person to look at."""
    folder = os.environ.get('SWATH_SCREENSHOTS')
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.driver.save_screenshot(os.path.join(folder, name + '.png'))


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def step(text):
    print(f'  - {text}', flush=True)


# --- the swath CLI and server -------------------------------------------------

class Swath(SwathProcess):
    """The CLI and server (Tests/support/swath_process.py), and the test's data and API calls."""

    def __init__(self, binary, tmp):
        super().__init__(binary, tmp, error=CheckFailed)

    def build_data(self):
        """The demo's data: BLUEJAY for Acme, an annotator, a reviewer, the fixture in 4 tasks."""
        admin = self.run_json('admin', 'create-user', '--db', self.db, '--name', 'browser admin', '--admin')
        self.run('admin', 'create-project', '--db', self.db, '--customer', CUSTOMER, '--codename', CODENAME, '--tile-size', '128')
        annotator = self.run_json('admin', 'create-user', '--db', self.db, '--name', 'ann (annotator)')
        reviewer = self.run_json('admin', 'create-user', '--db', self.db, '--name', 'rey (reviewer)')
        self.run('admin', 'add-member', '--db', self.db, '--project', '1', '--user', str(annotator['id']), '--role', 'annotator')
        self.run('admin', 'add-member', '--db', self.db, '--project', '1', '--user', str(reviewer['id']), '--role', 'reviewer')
        manager = self.run_json('admin', 'create-user', '--db', self.db, '--name', 'mia (manager)')
        self.run('admin', 'add-member', '--db', self.db, '--project', '1', '--user', str(manager['id']), '--role', 'manager')
        cohort = self.run_json('admin', 'create-cohort', '--db', self.db, '--codename', COHORT, '--vendor', VENDOR)
        self.run('admin', 'set-cohort', '--db', self.db, '--user', str(annotator['id']), '--cohort', str(cohort['id']))
        self.run('ingest', '--db', self.db, '--project', '1', FIXTURE, '--band-roles', 'blue=1,green=2,red=3,nir=4')
        # The fixture's pixels placed on the North Pole (EPSG:3413, 1 km pixels, 256 × 192 km centred on it):
        # a scene no web map can show. One task holds it all.
        polar = os.path.join(self.tmp, 'pole.tif')
        subprocess.run(['gdal_translate', '-q', '-a_srs', 'EPSG:3413', '-a_ullr', '-128000', '96000', '128000', '-96000',
                        FIXTURE, polar], check=True)
        self.run('admin', 'create-project', '--db', self.db, '--customer', CUSTOMER, '--codename', POLAR_CODENAME, '--tile-size', '256')
        self.run('admin', 'add-member', '--db', self.db, '--project', '2', '--user', str(annotator['id']), '--role', 'annotator')
        self.run('ingest', '--db', self.db, '--project', '2', polar, '--band-roles', 'blue=1,green=2,red=3,nir=4')
        return admin, annotator, reviewer, manager

    def start(self):
        web_dir = os.environ.get('SWATH_WEB_DIR')
        super().start(extra_args=['--web-dir', os.path.abspath(web_dir)] if web_dir else [])
        step(f'server at {self.base_url} (log {self.log_path})')

    def api(self, token, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header('Authorization', f'Bearer {token}')
        if data is not None:
            request.add_header('Content-Type', 'application/json')
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            raise CheckFailed(f'{method} {path} answered {error.code}: {error.read().decode(errors="replace")}')


# --- geometry, independent of Leaflet -------------------------------------------

def world_size(zoom):
    return 256.0 * 2 ** zoom


def project(lon, lat, zoom):
    """Spherical Web Mercator: lon/lat → global pixel at `zoom` (y down)."""
    size = world_size(zoom)
    x = (lon + 180.0) / 360.0 * size
    phi = math.radians(lat)
    y = (1.0 - math.log(math.tan(phi) + 1.0 / math.cos(phi)) / math.pi) / 2.0 * size
    return x, y


def unproject(x, y, zoom):
    size = world_size(zoom)
    lon = x / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1.0 - 2.0 * y / size))))
    return lon, lat


def metres_between(a, b):
    """Haversine distance between two lon/lat points, in metres."""
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


def scene_pixel_metres():
    """The fixture's pixel size from its geotransform (UTM, so metres)."""
    info = json.loads(subprocess.run(['gdalinfo', '-json', FIXTURE], capture_output=True, text=True, check=True).stdout)
    transform = info['geoTransform']
    return min(abs(transform[1]), abs(transform[5]))


# --- the browser ------------------------------------------------------------------

def start_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    for argument in ('--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--window-size=1400,900',
                     '--disable-gpu', '--force-device-scale-factor=1'):
        options.add_argument(argument)
    options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    driver = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=options)
    driver.set_page_load_timeout(30)
    return driver


class Page:
    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url
        self.console = []  # everything the browser logged, kept across reads

    def wait(self, condition, message, timeout=WAIT):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(condition)
        except TimeoutException:
            raise CheckFailed(f'timed out after {timeout} s waiting for {message}; page says: {self.message_text()!r}')

    def by_testid(self, testid):
        return self.driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def visible(self, testid, message=None):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, f'[data-testid="{testid}"]')),
                         message or f'{testid} to be visible')

    def clickable(self, testid, message=None):
        return self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, f'[data-testid="{testid}"]')),
                         message or f'{testid} to be clickable')

    def state(self):
        return self.driver.execute_script('return window.workbench && window.workbench.describe();')

    def wait_state(self, predicate, message, timeout=WAIT):
        def ready(_):
            state = self.state()
            return state if state and predicate(state) else False
        return self.wait(ready, message, timeout)

    def message_text(self):
        try:
            return self.driver.execute_script(
                "const m = document.getElementById('message'); return m && !m.hidden ? m.textContent : '';")
        except WebDriverException:
            return ''

    def collect_console(self):
        try:
            self.console.extend(self.driver.get_log('browser'))
        except WebDriverException:
            pass
        return self.console

    def assert_no_customer(self, who):
        check(CUSTOMER not in self.driver.page_source, f'the customer name "{CUSTOMER}" is in the page shown to the {who}')

    def sign_in(self, token, name):
        token_input = self.visible('token-input', 'the sign-in form')
        token_input.clear()
        token_input.send_keys(token)
        self.by_testid('signin-button').click()
        self.wait(lambda d: self.by_testid('user-name').text == name, f'"{name}" to be shown as signed in')

    def pick_project(self, codename):
        select = Select(self.visible('project-select', 'the project picker'))
        names = [option.text for option in select.options]
        check(codename in names, f'project picker offers {names}, not {codename}')
        select.select_by_visible_text(codename)
        self.wait_state(lambda s: s['project'] == codename and s['mode'], f'project {codename} to open')

    def sign_out(self):
        self.clickable('signout-button').click()
        self.visible('token-input', 'the sign-in form after signing out')
        check(self.driver.execute_script("return sessionStorage.getItem('swath.token')") is None,
              'the token is still in sessionStorage after signing out')


def map_view(driver):
    """The map's centre, zoom and size as Leaflet holds them, and where it is on the page."""
    return driver.execute_script("""
        const map = window.workbench.map;
        const c = map.getCenter(), s = map.getSize(), r = map.getContainer().getBoundingClientRect();
        return {lat: c.lat, lng: c.lng, zoom: map.getZoom(), width: s.x, height: s.y,
                left: r.left, top: r.top, rectWidth: r.width, rectHeight: r.height};
    """)


def wait_for_tiles(page):
    """At least one scene tile fetched with the token and decoded."""
    page.wait(lambda d: d.execute_script("""
        return [...document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile-loaded')]
            .some((img) => img.src.startsWith('blob:') && img.naturalWidth === 256);
    """), 'a scene tile to load on the map')


# --- the scenario -------------------------------------------------------------------

def annotate(page, swath, tokens, pixel_metres):
    driver = page.driver
    driver.get(page.base_url + '/')
    page.sign_in(tokens['annotator'], 'ann (annotator)')
    step('annotator signed in')
    page.pick_project(CODENAME)
    check(page.state()['mode'] == 'annotate', 'the annotator does not land in annotate mode')
    page.assert_no_customer('annotator')

    page.clickable('claim-button').click()
    state = page.wait_state(lambda s: s['annotate']['ready'], 'the claimed task to load')
    task_id = state['annotate']['taskId']
    step(f'claimed task {task_id}')
    presets = page.wait_state(lambda s: s['imagery']['presets'], 'the band presets from the tilejson')['imagery']['presets']
    check('true-color' in presets, f'tilejson presets {presets} lack true-color')
    wait_for_tiles(page)
    step(f'scene tiles shown (presets {presets})')

    task = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}')
    ring = task['footprintWGS84']['coordinates'][0]
    view = map_view(driver)
    zoom = view['zoom']
    cx, cy = project(view['lng'], view['lat'], zoom)
    # The footprint must be fully on screen (fitted with padding).
    corners = [(project(lon, lat, zoom)[0] - cx + view['width'] / 2, project(lon, lat, zoom)[1] - cy + view['height'] / 2)
               for lon, lat in ring]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    check(min(xs) > 0 and min(ys) > 0 and max(xs) < view['width'] and max(ys) < view['height'],
          f'the task footprint is not fully visible: x {min(xs):.0f}…{max(xs):.0f}, y {min(ys):.0f}…{max(ys):.0f} '
          f'in a {view["width"]}×{view["height"]} map')

    # Four clicks well inside the footprint, as whole pixels from the element's
    # in-view centre (what move_to_element_with_offset measures from).
    element = page.by_testid('map')
    origin_x = math.floor(view['left'] + view['rectWidth'] / 2) - view['left']
    origin_y = math.floor(view['top'] + view['rectHeight'] / 2) - view['top']
    fractions = [(0.3, 0.3), (0.72, 0.28), (0.7, 0.7), (0.32, 0.68)]
    clicks = []
    for fx, fy in fractions:
        px = min(xs) + fx * (max(xs) - min(xs))
        py = min(ys) + fy * (max(ys) - min(ys))
        dx, dy = round(px - origin_x), round(py - origin_y)
        container_x, container_y = origin_x + dx, origin_y + dy
        expected = unproject(cx + container_x - view['width'] / 2, cy + container_y - view['height'] / 2, zoom)
        clicks.append(((dx, dy), expected))
    for (dx, dy), _ in clicks:
        ActionChains(driver).move_to_element_with_offset(element, dx, dy).click().perform()
    page.wait_state(lambda s: s['annotate']['editor']['drawing'] and s['annotate']['editor']['drawing']['points'] == 4,
                    'four vertices in the ring being drawn')
    check(map_view(driver)['zoom'] == zoom, 'the map zoomed while drawing')
    # Close the ring on its first vertex.
    first_dx, first_dy = clicks[0][0]
    ActionChains(driver).move_to_element_with_offset(element, first_dx, first_dy).click().perform()
    page.wait_state(lambda s: not s['annotate']['editor']['drawing'] and len(s['annotate']['editor']['features']) == 1,
                    'the ring to close into one polygon')
    step('drew a polygon with 4 clicks and closed it on the first vertex')

    ActionChains(driver).send_keys('2').perform()
    page.wait_state(lambda s: s['annotate']['editor']['features'][0]['classId'] == CLASS_BY_KEY,
                    f'key 2 to give the polygon class {CLASS_BY_KEY}')
    page.clickable('class-list')
    driver.find_element(By.CSS_SELECTOR, f'[data-testid="class-option"][data-class-id="{CLASS_PICKED}"]').click()
    page.wait_state(lambda s: s['annotate']['editor']['features'][0]['classId'] == CLASS_PICKED,
                    f'the class button to give the polygon class {CLASS_PICKED}')
    step(f'picked class {CLASS_PICKED} (after key 2 picked {CLASS_BY_KEY})')

    refuse_bowtie(page, element, origin_x, origin_y, xs, ys)
    magic_wand(page, element, origin_x, origin_y, xs, ys)

    page.clickable('save-button').click()
    page.wait_state(lambda s: not s['annotate']['editor']['dirty'] and s['annotate']['editor']['features'][0]['labelId'],
                    'the save to be acknowledged')
    page.assert_no_customer('annotator')
    step('saved')
    snapshot(page, 'annotate')
    switch_views(page, swath, tokens, task_id)
    page.clickable('submit-button').click()
    page.wait(lambda d: 'submitted' in page.by_testid('task-info').text, 'the task to be submitted')
    step('submitted')
    page.assert_no_customer('annotator')

    # The API's view of what was saved.
    task = swath.api(tokens['admin'], 'GET', f'/api/v1/tasks/{task_id}')
    check(task['status'] == 'submitted', f'task {task_id} is {task["status"]}, not submitted')
    labels = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}/labels')
    features = labels['features']
    check(len(features) == 1, f'task {task_id} has {len(features)} labels, expected 1')
    feature = features[0]
    check(feature['properties']['classId'] == CLASS_PICKED,
          f'the label has class {feature["properties"]["classId"]}, expected {CLASS_PICKED}')
    check(feature['geometry']['type'] == 'Polygon', f'the label is a {feature["geometry"]["type"]}')
    rings = feature['geometry']['coordinates']
    check(len(rings) == 1, f'the label has {len(rings)} rings, expected 1')
    vertices = rings[0][:-1]
    check(len(vertices) == 4, f'the saved ring has {len(vertices)} vertices, expected 4: {rings[0]}')
    worst = 0.0
    for index, (_, expected) in enumerate(clicks):
        nearest = min(metres_between(expected, vertex) for vertex in vertices)
        worst = max(worst, nearest)
        check(nearest <= pixel_metres,
              f'click {index + 1} at lon/lat {expected[0]:.7f}, {expected[1]:.7f} is {nearest:.2f} m from the nearest saved '
              f'vertex; one scene pixel is {pixel_metres} m. Saved ring: {vertices}')
    step(f'saved ring matches the clicks: worst {worst:.2f} m (one scene pixel = {pixel_metres:g} m)')
    return task_id


def editor_vertices(page):
    """The outer ring of the editor's one polygon, as Leaflet holds it: [lng, lat] pairs."""
    return page.driver.execute_script(
        "return window.workbench.annotate.editor.features[0].parts[0][0].map((p) => [p.lng, p.lat]);")


def same_ring(shown, expected, tolerance):
    return len(shown) == len(expected) and all(
        min(math.hypot(a[0] - b[0], a[1] - b[1]) for b in expected) <= tolerance for a in shown)


def switch_views(page, swath, tokens, task_id):
    """Any scene can be seen on its own pixel grid and back: the saved polygon is loaded again in each view, where
    the API puts it (pixels at the scene's column and −row on the grid; lon/lat on the map)."""
    window = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}')['window']
    page.clickable('view-native').click()
    state = page.wait_state(lambda s: s['imagery']['view'] == 'native' and s['annotate']['ready'], 'the native grid view')
    check(len(state['annotate']['editor']['features']) == 1, 'the saved polygon is not shown in the native view')
    check(page.driver.execute_script('return window.workbench.map.options.crs === L.CRS.Simple'), 'the native view is not on a pixel grid')
    pixels = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}/labels?crs=pixel')['features'][0]['geometry']['coordinates'][0][:-1]
    on_grid = [[x + window['col'], -(y + window['row'])] for x, y in pixels]
    check(same_ring(editor_vertices(page), on_grid, 1e-9), f'the native view shows {editor_vertices(page)}, the API says {on_grid}')
    wait_for_tiles(page)
    page.clickable('view-map').click()
    state = page.wait_state(lambda s: s['imagery']['view'] == 'map' and s['annotate']['ready'], 'the map view again')
    check(len(state['annotate']['editor']['features']) == 1, 'the saved polygon is not shown back on the map')
    lonlat = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}/labels')['features'][0]['geometry']['coordinates'][0][:-1]
    check(same_ring(editor_vertices(page), lonlat, 1e-9), f'the map shows {editor_vertices(page)}, the API says {lonlat}')
    # Three switches before any has loaded: the last one wins, and nothing of the others lands in its coordinates.
    page.driver.execute_script("for (const id of ['view-native', 'view-map', 'view-native']) document.getElementById(id).click();")
    page.wait_state(lambda s: s['imagery']['view'] == 'native' and s['annotate']['ready'], 'the native view after three quick switches')
    page.wait(lambda d: same_ring(editor_vertices(page), on_grid, 1e-9), f'the polygon at {on_grid} after three quick switches')
    page.clickable('view-map').click()
    page.wait_state(lambda s: s['imagery']['view'] == 'map' and s['annotate']['ready'], 'the map view again')
    check(same_ring(editor_vertices(page), lonlat, 1e-9), f'the map shows {editor_vertices(page)}, the API says {lonlat}')
    step('switched to the native grid and back to the map (also three times in a row); the saved polygon sat where the API puts it in each')


def native_view(page, swath, tokens):
    """A scene centred on the North Pole opens on its own pixel grid and says why; a polygon drawn there is saved in
    pixel coordinates within a pixel of the clicks (worked out here from the simple CRS's formula, not by Leaflet)."""
    driver = page.driver
    page.sign_out()
    page.sign_in(tokens['annotator'], 'ann (annotator)')
    page.pick_project(POLAR_CODENAME)
    page.clickable('claim-button').click()
    state = page.wait_state(lambda s: s['annotate']['ready'], 'the polar task to load')
    task_id = state['annotate']['taskId']
    check(state['imagery']['view'] == 'native', f'a scene over the pole opened in the {state["imagery"]["view"]} view')
    reason = page.visible('view-reason', 'the reason for the native view').text
    check('85.05' in reason and '90.00° N' in reason, f'the page does not say why it is in the native view: "{reason}"')
    check(not page.by_testid('view-map').is_enabled(), 'the map view is offered for a scene a web map cannot show')
    wait_for_tiles(page)
    step(f'polar task {task_id} opened on the scene\'s pixel grid: "{reason}"')

    task = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}')
    window = task['window']
    view = map_view(driver)
    scale = 2 ** view['zoom']
    # Leaflet's simple CRS: a map point is (lng, −lat) × 2^zoom; the workbench puts scene column c, row r at lng c, lat −r.
    centre_x, centre_y = view['lng'] * scale, -view['lat'] * scale
    element = page.by_testid('map')
    origin_x = math.floor(view['left'] + view['rectWidth'] / 2) - view['left']
    origin_y = math.floor(view['top'] + view['rectHeight'] / 2) - view['top']
    clicks = []
    for fx, fy in [(0.3, 0.3), (0.7, 0.25), (0.72, 0.7), (0.28, 0.66)]:
        col = window['col'] + fx * window['width']
        row = window['row'] + fy * window['height']
        px = col * scale - centre_x + view['width'] / 2
        py = row * scale - centre_y + view['height'] / 2
        check(0 < px < view['width'] and 0 < py < view['height'], f'the task is not on screen at zoom {view["zoom"]}')
        dx, dy = round(px - origin_x), round(py - origin_y)
        x = (centre_x + origin_x + dx - view['width'] / 2) / scale - window['col']
        y = (centre_y + origin_y + dy - view['height'] / 2) / scale - window['row']
        clicks.append(((dx, dy), (x, y)))
    for (dx, dy), _ in clicks + clicks[:1]:
        ActionChains(driver).move_to_element_with_offset(element, dx, dy).click().perform()
    page.wait_state(lambda s: not s['annotate']['editor']['drawing'] and len(s['annotate']['editor']['features']) == 1,
                    'the ring to close into one polygon on the grid')
    ActionChains(driver).send_keys('2').perform()
    page.clickable('save-button').click()
    page.wait_state(lambda s: not s['annotate']['editor']['dirty'] and s['annotate']['editor']['features'][0]['labelId'],
                    'the save on the grid to be acknowledged')
    snapshot(page, 'native-view')
    labels = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}/labels?crs=pixel')
    vertices = labels['features'][0]['geometry']['coordinates'][0][:-1]
    check(len(vertices) == 4, f'the saved ring has {len(vertices)} vertices: {vertices}')
    worst = 0.0
    for index, (_, (x, y)) in enumerate(clicks):
        nearest = min(math.hypot(x - vx, y - vy) for vx, vy in vertices)
        worst = max(worst, nearest)
        check(nearest <= 1, f'click {index + 1} at pixel {x:.2f}, {y:.2f} is {nearest:.2f} pixels from the saved ring {vertices}')
    wgs84 = swath.api(tokens['annotator'], 'GET', f'/api/v1/tasks/{task_id}/labels')['features'][0]['geometry']
    positions = [p for ring in (wgs84['coordinates'] if wgs84['type'] == 'Polygon' else [r for poly in wgs84['coordinates'] for r in poly]) for p in ring]
    check(all(p[1] > 85.05 for p in positions), f'the polygon is not where a web map cannot go: {positions}')
    page.assert_no_customer('annotator in the native view')
    step(f'drew and saved a polygon on the polar grid: within {worst:.2f} pixels of the clicks; in WGS84 it lies beyond 85.05° N')


def refuse_bowtie(page, element, origin_x, origin_y, xs, ys):
    """A self-intersecting polygon: the server refuses the save (422) and the
    page must show its reason on that polygon; Ctrl+Z then takes it away."""
    driver = page.driver
    unexpected = console_errors(page)  # drains the log: the 422 below is the only error allowed
    check(not unexpected, 'the browser console has errors before the refused save:\n' +
          '\n'.join(e.get('message', '') for e in unexpected))
    corners = [(0.78, 0.78), (0.94, 0.94), (0.94, 0.78), (0.78, 0.94)]
    offsets = [(round(min(xs) + fx * (max(xs) - min(xs)) - origin_x), round(min(ys) + fy * (max(ys) - min(ys)) - origin_y))
               for fx, fy in corners]
    for dx, dy in offsets + offsets[:1]:
        ActionChains(driver).move_to_element_with_offset(element, dx, dy).click().perform()
    page.wait_state(lambda s: not s['annotate']['editor']['drawing'] and len(s['annotate']['editor']['features']) == 2,
                    'the bow-tie ring to close')
    page.clickable('save-button').click()
    state = page.wait_state(lambda s: s['annotate']['editor']['features'][1]['problem'], 'the refusal to be shown on the bow-tie')
    reason = state['annotate']['editor']['features'][1]['problem']
    check(state['annotate']['editor']['features'][0]['problem'] is None, 'the valid polygon is marked as refused too')
    row = driver.find_element(By.CSS_SELECTOR, '[data-testid="label-row"][data-index="1"]')
    check(row.get_attribute('data-problem') == 'true' and reason in row.text,
          f'the label list does not show the refusal: {row.text!r}')
    tooltips = [t.text for t in driver.find_elements(By.CSS_SELECTOR, '.problem-tooltip') if t.is_displayed()]
    check(any(reason in t for t in tooltips), f'no tooltip on the map gives the reason {reason!r}: {tooltips}')
    check('refused' in page.message_text(), f'the message does not say the save was refused: {page.message_text()!r}')
    errors = console_errors(page)
    check(all('422' in e.get('message', '') and '/labels' in e.get('message', '') for e in errors),
          'the refused save logged other errors:\n' + '\n'.join(e.get('message', '') for e in errors))
    page.console = []  # that 422 was expected
    ActionChains(driver).key_down(Keys.CONTROL).send_keys('z').key_up(Keys.CONTROL).perform()
    page.wait_state(lambda s: len(s['annotate']['editor']['features']) == 1 and s['annotate']['editor']['features'][0]['classId'] == CLASS_PICKED,
                    'Ctrl+Z to remove the bow-tie')
    step(f'a bow-tie polygon was refused and shown in red with the reason "{reason}"; Ctrl+Z removed it')


def magic_wand(page, element, origin_x, origin_y, xs, ys):
    """Key W and a click at the footprint's centre: the server grows a region
    there (POST /tasks/{id}/segment) and the page adds it as a selected,
    unsaved polygon of the current class; Ctrl+Z takes it away again, so the
    save that follows sends the one drawn polygon. The fixture is real
    imagery: the region's shape is not checked, only that it arrived."""
    driver = page.driver
    rows = '[data-testid="label-row"]'
    check(len(driver.find_elements(By.CSS_SELECTOR, rows)) == 1, 'the label list does not hold one polygon before the wand')
    ActionChains(driver).send_keys('w').perform()
    page.wait_state(lambda s: s['annotate']['editor']['tool'] == 'wand', 'key W to pick the magic wand')
    check(page.by_testid('tool-wand').get_attribute('aria-pressed') == 'true', 'the wand button is not shown as pressed')
    tolerance = page.visible('wand-tolerance', 'the wand tolerance field')
    tolerance.clear()
    tolerance.send_keys('2')
    page.wait_state(lambda s: s['annotate']['wand']['tolerance'] == 2, 'the wand tolerance to read 2')

    dx = round((min(xs) + max(xs)) / 2 - origin_x)
    dy = round((min(ys) + max(ys)) / 2 - origin_y)
    ActionChains(driver).move_to_element_with_offset(element, dx, dy).click().perform()

    def added_or_refused(d):
        if len(d.find_elements(By.CSS_SELECTOR, rows)) == 2:
            return 'added'
        level, text = message(d)
        return 'refused' if level in ('error', 'warning') and 'magic wand' in text else False
    outcome = page.wait(added_or_refused, 'the magic wand\'s region in the label list')
    check(outcome == 'added', f'the magic wand added nothing: {message(driver)[1]!r}')
    state = page.wait_state(lambda s: len(s['annotate']['editor']['features']) == 2 and not s['annotate']['wand']['pending'],
                            'the region in the editor')
    editor, wand = state['annotate']['editor'], state['annotate']['wand']
    region = editor['features'][1]
    check(region['classId'] == CLASS_PICKED, f'the region has class {region["classId"]}, expected the current class {CLASS_PICKED}')
    check(editor['selectedKey'] == region['key'], 'the region is not selected')
    check(editor['dirty'] and region['labelId'] is None and region['problem'] is None,
          f'the region is not a new unsaved polygon: {region}')
    check(region['vertices'] >= 3, f'the region has {region["vertices"]} vertices')
    check(wand['last'] and wand['last']['tolerance'] == 2, f'the wand did not send tolerance 2: {wand["last"]}')
    level, text = message(driver)
    check(level != 'error', f'the page shows an error after the wand: {text!r}')
    errors = console_errors(page)
    check(not errors, 'the magic wand logged errors:\n' + '\n'.join(e.get('message', '') for e in errors))
    snapshot(page, 'wand')

    ActionChains(driver).key_down(Keys.CONTROL).send_keys('z').key_up(Keys.CONTROL).perform()
    page.wait_state(lambda s: len(s['annotate']['editor']['features']) == 1 and s['annotate']['editor']['features'][0]['classId'] == CLASS_PICKED,
                    'Ctrl+Z to remove the region')
    page.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, rows)) == 1, 'the label list to drop the region')
    ActionChains(driver).send_keys('d').perform()
    page.wait_state(lambda s: s['annotate']['editor']['tool'] == 'draw', 'key D to go back to drawing')
    step(f'magic wand (W, tolerance 2) at the footprint\'s centre added a region of {wand["last"]["pixels"]} pixels '
         f'({region["vertices"]} vertices, class {CLASS_PICKED}); Ctrl+Z removed it')


def message(driver):
    """The page's message line as (level, text); ('', '') when none is shown."""
    shown = driver.execute_script(
        "const m = document.getElementById('message'); return m && !m.hidden ? [m.dataset.level || '', m.textContent] : ['', ''];")
    return shown[0], shown[1]


def review(page, swath, tokens, task_id):
    page.sign_out()
    step('annotator signed out')
    page.sign_in(tokens['reviewer'], 'rey (reviewer)')
    step('reviewer signed in')
    page.pick_project(CODENAME)
    page.assert_no_customer('reviewer')
    if page.state()['mode'] != 'review':
        page.clickable('mode-review').click()
    page.wait_state(lambda s: s['mode'] == 'review' and s['review']['loaded'], 'the review queue to load')
    selector = f'[data-testid="review-task"][data-task-id="{task_id}"]'
    page.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)), f'task {task_id} in the review queue').click()
    page.wait_state(lambda s: s['review']['ready'] and s['review']['taskId'] == task_id, f'task {task_id} to open for review')
    count = page.by_testid('review-label-count').text
    check(count == '1 polygon', f'the review shows "{count}", expected "1 polygon"')
    wait_for_tiles(page)
    page.assert_no_customer('reviewer')
    step(f'reviewing task {task_id}: {count} on the map')
    snapshot(page, 'review')
    page.clickable('accept-button').click()
    page.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, selector), f'task {task_id} to leave the review queue')
    task = swath.api(tokens['admin'], 'GET', f'/api/v1/tasks/{task_id}')
    check(task['status'] == 'accepted', f'task {task_id} is {task["status"]} after accepting, not accepted')
    step(f'accepted; the API says task {task_id} is accepted')


def standing(page, swath, tokens, task_id):
    """The annotator's own page (status, this week, earnings), then the manager's cohort view and payroll."""
    page.sign_out()
    page.sign_in(tokens['annotator'], 'ann (annotator)')
    page.pick_project(CODENAME)
    page.clickable('mode-standing').click()
    state = page.wait_state(lambda s: s['mode'] == 'standing' and s['standing']['loaded'], 'the standing page to load')['standing']
    labels = len(swath.api(tokens['admin'], 'GET', f'/api/v1/tasks/{task_id}/labels')['features'])
    earned = PER_TASK + PER_LABEL * labels  # by hand: the rates × the one accepted task's labels
    statement = swath.api(tokens['annotator'], 'GET', '/api/v1/me/earnings')
    check(state['approved'] == earned == statement['totals'][0]['approved'],
          f'the page shows {state["approved"]} approved, the API {statement["totals"][0]["approved"]}, by hand {earned}')
    check(state['pending'] == earned, f'nothing is paid out yet, so all {earned} is pending; the page says {state["pending"]}')
    shown = f'${earned / 100:.2f}'
    summary = page.by_testid('earnings-summary').text
    check(shown in summary, f'the earnings summary "{summary}" does not show {shown}')
    check(state['state'] == 'qualified' and page.by_testid('standing-state').text == 'qualified', f'standing {state["state"]}')
    week = swath.api(tokens['annotator'], 'GET', '/api/v1/projects/1/me')['tasksThisWeek']
    check(state['tasksThisWeek'] == week >= 1, f'tasks this week: page {state["tasksThisWeek"]}, API {week}')
    page.assert_no_customer('annotator on the standing page')
    check(VENDOR not in page.driver.page_source, 'the vendor name is on the annotator\'s page')
    snapshot(page, 'standing-annotator')
    step(f'the annotator\'s standing: {state["state"]}, {week} tasks this week, {shown} approved and pending')

    page.sign_out()
    page.sign_in(tokens['manager'], 'mia (manager)')
    page.pick_project(CODENAME)
    page.clickable('mode-standing').click()
    state = page.wait_state(lambda s: s['mode'] == 'standing' and s['standing']['loaded'], 'the manager\'s standing page to load')['standing']
    check(COHORT in state['cohorts'], f'the cohort view lists {state["cohorts"]}, not {COHORT}')
    check(state['payrollTotal'] == earned, f'the payroll total is {state["payrollTotal"]}, by hand {earned}')
    check(state['chartSeries'] >= 1, 'the quality-over-time chart draws no line')
    rows = page.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="cohort-row"][data-cohort="{COHORT}"]')
    check(len(rows) == 1, f'{len(rows)} rows for cohort {COHORT} in the cohort table')
    check(shown in page.by_testid('payroll-total').text, f'the payroll total line does not show {shown}')
    check(VENDOR not in page.driver.page_source, 'managers see the cohort codename, never the vendor')
    snapshot(page, 'standing-manager')
    step(f'the manager\'s cohort view lists {state["cohorts"]} and a payroll of {shown}')


def console_errors(page):
    return [entry for entry in page.collect_console() if entry.get('level') == 'SEVERE']


def save_failure(page, tmp):
    if page is None:
        return
    try:
        shot = os.path.join(tmp, 'failure.png')
        page.driver.save_screenshot(shot)
        shutil.copyfile(shot, FAILURE_PNG)
        print(f'screenshot: {FAILURE_PNG}', file=sys.stderr)
    except Exception as error:  # the browser may be gone
        print(f'(no screenshot: {error})', file=sys.stderr)
    try:
        entries = page.collect_console()
        with open(FAILURE_CONSOLE, 'w') as out:
            for entry in entries:
                out.write(f'{entry.get("level")} {entry.get("message")}\n')
        print(f'browser console ({len(entries)} entries): {FAILURE_CONSOLE}', file=sys.stderr)
        print(f'page state: {json.dumps(page.state())}', file=sys.stderr)
    except Exception as error:
        print(f'(no console log: {error})', file=sys.stderr)


def main():
    binary = os.path.abspath(os.path.join(REPO, os.environ.get('SWATH_BIN', '.build/debug/swath')))
    if not os.access(binary, os.X_OK):
        print(f'FAIL: no swath binary at {binary} (build it, or set SWATH_BIN)', file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix='swath-browser-')
    print(f'workbench browser test (temp dir {tmp})', flush=True)
    swath = Swath(binary, tmp)
    driver = None
    page = None
    ok = False
    try:
        admin, annotator, reviewer, manager = swath.build_data()
        tokens = {'admin': admin['token'], 'annotator': annotator['token'], 'reviewer': reviewer['token'], 'manager': manager['token']}
        pixel_metres = scene_pixel_metres()
        step(f'data built: {CODENAME} with the fixture scene ingested (pixel {pixel_metres:g} m)')
        swath.start()
        swath.api(tokens['admin'], 'PATCH', '/api/v1/projects/1/settings', {'pay': {'currency': 'USD', 'perTask': PER_TASK, 'perLabel': PER_LABEL}})
        driver = start_browser()
        page = Page(driver, swath.base_url)
        task_id = annotate(page, swath, tokens, pixel_metres)
        review(page, swath, tokens, task_id)
        standing(page, swath, tokens, task_id)
        native_view(page, swath, tokens)
        errors = console_errors(page)
        check(not errors, 'the browser console has errors:\n' + '\n'.join(e.get('message', '') for e in errors))
        step('no errors in the browser console')
        ok = True
    except CheckFailed as failure:
        print(f'FAIL: {failure}', file=sys.stderr)
    except Exception:
        print('FAIL: unexpected error', file=sys.stderr)
        traceback.print_exc()
    finally:
        if not ok:
            save_failure(page, tmp)
            print(f'server log: {swath.log_path}', file=sys.stderr)
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        swath.stop()
        if ok and not os.environ.get('SWATH_KEEP_TMP'):
            shutil.rmtree(tmp, ignore_errors=True)
    print('PASS: workbench end-to-end' if ok else 'FAILED: workbench end-to-end', flush=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
