"""Reference numbers for test/models/learn/telco-logistic.test.ts (scikit-learn 1.2.1).

Run from the repository root:  python3 test/models/learn/reference/telco_logistic.py

Part A is a plain scikit-learn pipeline (mean-imputed, standardised numerics + one-hot categoricals +
LogisticRegression() with its defaults), trained on the fixed 70/30 split in
test/fixtures/telco-test-ids.txt; its test metrics are the bar Retain's default logistic model must meet.

Part B rebuilds Retain's encoder by hand (numerics standardised with the mean and population sd of the
non-missing training values, a missing value imputed at the mean plus a 0/1 missing-indicator column when
the training rows had missing values, one-hot columns for sorted levels, left unscaled) and fits
LogisticRegression to tight tolerance, so that the coefficients can be compared one by one.

With L1 and a full one-hot encoding the coefficients are not unique (adding c to the intercept and
subtracting it from both levels of a two-level column leaves the L1 norm unchanged while the signs differ),
so for L1 only the objective value and the fitted probabilities (which are unique) are compared; elastic net
and L2 are strictly convex and are compared coefficient by coefficient.

Part C evaluates scikit-learn's metric functions on fixed inputs (with ties) for the metric tests.
"""
import json
import os

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
data = pd.read_csv(os.path.join(ROOT, 'datasets', 'WA_Fn-UseC_-Telco-Customer-Churn.csv'), dtype=str)
test_ids = set(pd.read_csv(os.path.join(ROOT, 'test', 'fixtures', 'telco-test-ids.txt'))['customerID'])

y = (data['Churn'] == 'Yes').astype(int).to_numpy()
features = [c for c in data.columns if c not in ('customerID', 'Churn')]
numeric = ['SeniorCitizen', 'tenure', 'MonthlyCharges', 'TotalCharges']
categorical = [c for c in features if c not in numeric]
X = data[features].copy()
for c in numeric:
    # TotalCharges is a single blank for 11 brand-new customers (tenure 0): a missing value.
    X[c] = pd.to_numeric(X[c].str.strip().replace('', np.nan))
is_test = data['customerID'].isin(test_ids).to_numpy()
Xtr, Xte, ytr, yte = X[~is_test], X[is_test], y[~is_test], y[is_test]
print('rows', len(X), 'train', len(Xtr), 'test', len(Xte), 'train positives', int(ytr.sum()))


def metrics(p, labels):
    return {
        'auc': roc_auc_score(labels, p),
        'ap': average_precision_score(labels, p),
        'logLoss': log_loss(labels, p),
        'brier': brier_score_loss(labels, p),
    }


# ---- Part A: the plain pipeline ---------------------------------------------------------------------
pipe = Pipeline([
    ('prep', ColumnTransformer([
        ('num', Pipeline([('impute', SimpleImputer(strategy='mean')), ('scale', StandardScaler())]), numeric),
        ('cat', OneHotEncoder(handle_unknown='ignore'), categorical),
    ])),
    ('model', LogisticRegression()),
])
pipe.fit(Xtr, ytr)
print('A plain pipeline iterations', int(pipe['model'].n_iter_[0]), 'of', pipe['model'].max_iter)
print('A plain pipeline test', json.dumps(metrics(pipe.predict_proba(Xte)[:, 1], yte)))


# ---- Part B: Retain's encoder, rebuilt ----------------------------------------------------------------
def encode(frame, train, drop_first=False):
    cols, names = [], []
    for c in features:
        if c in numeric:
            v = train[c].dropna().to_numpy()
            mean, sd = v.mean(), v.std()  # population sd, as StandardScaler
            sd = sd if sd > 0 else 1.0
            x = frame[c].to_numpy()
            cols.append(np.where(np.isnan(x), 0.0, (x - mean) / sd))
            names.append(c)
            if train[c].isna().any():
                cols.append(np.isnan(x).astype(float))
                names.append(c + '=<missing>')
        else:
            levels = sorted(train[c].dropna().unique())
            for level in levels[1:] if drop_first else levels:
                cols.append((frame[c] == level).to_numpy().astype(float))
                names.append(c + '=' + level)
    return np.column_stack(cols), names


Etr, names = encode(Xtr, Xtr)
Ete, _ = encode(Xte, Xtr)
print('B features', len(names))


def kkt(model, C, l1_ratio, weights):
    # Largest violation of the optimality conditions of C * sum(w_i loss_i) + l1_ratio * |b|_1
    # + (1 - l1_ratio) / 2 * |b|^2 (intercept unpenalised): how far the solver is from the exact optimum.
    b = model.coef_[0]
    p = 1 / (1 + np.exp(-(Etr @ b + model.intercept_[0])))
    g = C * (Etr.T @ (weights * (p - ytr))) + (1 - l1_ratio) * b
    g0 = C * np.sum(weights * (p - ytr))
    viol = np.where(b != 0, np.abs(g + l1_ratio * np.sign(b)), np.maximum(np.abs(g) - l1_ratio, 0))
    return float(max(abs(g0), viol.max()))


def report(tag, model, C, l1_ratio=0.0, balanced=False):
    p = model.predict_proba(Ete)[:, 1]
    w = np.ones(len(ytr))
    if balanced:
        w = np.where(ytr == 1, len(ytr) / (2 * ytr.sum()), len(ytr) / (2 * (len(ytr) - ytr.sum())))
    b = model.coef_[0]
    eta = Etr @ b + model.intercept_[0]
    # The penalised objective in Retain's scaling: sum of weighted losses + (1/C) * penalty.
    loss = np.sum(w * (np.logaddexp(0, eta) - ytr * eta))
    objective = loss + (l1_ratio * np.abs(b).sum() + (1 - l1_ratio) / 2 * (b @ b)) / C
    print(tag, json.dumps({
        'kkt': kkt(model, C, l1_ratio, w),
        'objective': float(objective),
        'firstTestProbabilities': [float(v) for v in p[:5]],
        'intercept': float(model.intercept_[0]),
        'coef': [round(float(b), 10) for b in model.coef_[0]],
        'zeros': int(np.sum(model.coef_[0] == 0)),
        'test': metrics(p, yte),
    }))


report('B l2 C=1', LogisticRegression(C=1.0, solver='newton-cg', tol=1e-10, max_iter=10000).fit(Etr, ytr), 1.0)
report('B l2 C=0.05 balanced', LogisticRegression(C=0.05, class_weight='balanced', solver='newton-cg',
                                                  tol=1e-10, max_iter=10000).fit(Etr, ytr), 0.05, 0.0, True)
report('B l1 C=0.02', LogisticRegression(C=0.02, penalty='l1', solver='saga', tol=1e-12,
                                         max_iter=200000).fit(Etr, ytr), 0.02, 1.0)
report('B enet C=0.05 r=0.5', LogisticRegression(C=0.05, penalty='elasticnet', l1_ratio=0.5, solver='saga',
                                                 tol=1e-12, max_iter=200000).fit(Etr, ytr), 0.05, 0.5)
print('B names', json.dumps(names))

# ---- Part C: metric functions on fixed inputs ---------------------------------------------------------
s = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.3, 0.2, 0.1, 0.0, 1.0]
l = [1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1]
print('C fixed', json.dumps({
    'ap': average_precision_score(l, s),
    'logLoss': log_loss(l, s),
    'brier': brier_score_loss(l, s),
    'auc': roc_auc_score(l, s),
}))
for strategy, n_bins in (('uniform', 5), ('quantile', 4)):
    frac, mean = calibration_curve(l, s, n_bins=n_bins, strategy=strategy)
    print('C calibration', strategy, n_bins, json.dumps({'fractionPositive': list(frac), 'meanPredicted': list(mean)}))
