"""Reference AUC for the gradient-boosted tree model on the IBM Telco churn data.

scikit-learn's HistGradientBoostingClassifier with all defaults (learning_rate 0.1, max_iter 100,
max_leaf_nodes 31, min_samples_leaf 20, l2_regularization 0, max_bins 255, early_stopping 'auto', which
is off below 10,000 rows, random_state 0), trained on the rows NOT listed in test/fixtures/telco-test-ids.txt
and scored on those that are. Text columns are ordinal-encoded (sorted levels, as the TypeScript
FeatureTable does) and declared categorical, so the model splits them natively; numeric columns (every
non-blank value parses) stay numeric, and a blank TotalCharges is missing (NaN).

Run from the repository root: python3 test/models/learn/reference/telco_hgb.py
Prints the test ROC AUC with native categoricals and, for comparison, with one-hot encoding.
"""

import csv
import math
import sys

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

DATA = "datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv"
TEST_IDS = "test/fixtures/telco-test-ids.txt"


def parse_float(s):
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def load():
    with open(DATA, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    with open(TEST_IDS) as f:
        test_ids = set(line.strip() for line in f.readlines()[1:] if line.strip())
    id_col, label_col = header.index("customerID"), header.index("Churn")
    features = [j for j in range(len(header)) if j not in (id_col, label_col)]
    columns, kinds = [], []
    for j in features:
        raw = [r[j].strip() for r in body]
        numeric = all(v == "" or parse_float(v) is not None for v in raw)
        if numeric:
            columns.append([float(v) if v != "" else np.nan for v in raw])
            kinds.append(("numeric", header[j], None))
        else:
            levels = sorted(set(v for v in raw if v != ""))
            code = {v: i for i, v in enumerate(levels)}
            columns.append([code[v] if v != "" else np.nan for v in raw])
            kinds.append(("categorical", header[j], levels))
    X = np.array(columns, dtype=float).T
    y = np.array([1 if r[label_col] == "Yes" else 0 for r in body])
    is_test = np.array([r[id_col] in test_ids for r in body])
    return X, y, is_test, kinds


def one_hot(X, kinds):
    parts = []
    for j, (kind, _, levels) in enumerate(kinds):
        if kind == "numeric":
            parts.append(X[:, [j]])
        else:
            parts.append(np.stack([(X[:, j] == k).astype(float) for k in range(len(levels))], axis=1))
    return np.concatenate(parts, axis=1)


def main():
    X, y, is_test, kinds = load()
    print(f"scikit-learn {sklearn.__version__}, train {int((~is_test).sum())}, test {int(is_test.sum())}")
    categorical = np.array([k[0] == "categorical" for k in kinds])
    native = HistGradientBoostingClassifier(categorical_features=categorical, random_state=0)
    native.fit(X[~is_test], y[~is_test])
    auc = roc_auc_score(y[is_test], native.predict_proba(X[is_test])[:, 1])
    print(f"native categorical AUC {auc:.6f} ({native.n_iter_} iterations)")
    Xo = one_hot(X, kinds)
    onehot = HistGradientBoostingClassifier(random_state=0)
    onehot.fit(Xo[~is_test], y[~is_test])
    auc_o = roc_auc_score(y[is_test], onehot.predict_proba(Xo[is_test])[:, 1])
    print(f"one-hot AUC {auc_o:.6f} ({onehot.n_iter_} iterations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
