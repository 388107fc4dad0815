/* The decay functions of the measures (measure.h). The names and
 * parameters follow IPEA's accessibility package (decay_binary,
 * decay_linear, decay_exponential, decay_power, decay_stepped,
 * decay_logistic); the Gaussian is PySAL access's. docs/methods.md,
 * "Decay functions". */
#include <math.h>

#include "core/limit.h"
#include "core/measure/measure.h"

const char *const RTI_DECAY_NAMES[] = {"binary",  "linear",   "exponential", "power",
                                       "stepped", "logistic", "gaussian",    NULL};

/* Bauer & Groneberg's logistic, scaled so that f(0) = 1: the reversed
 * logistic distribution with location c and standard deviation sd (scale
 * sd sqrt(3) / pi), divided by its value at 0. */
static double logistic(double t, double c, double sd)
{
    const double b = M_PI / (sd * sqrt(3.0));
    return (1.0 + exp(-b * c)) / (1.0 + exp(b * (t - c)));
}

double rti_decay_weight(const rti_decay *d, double cost, double unit)
{
    const double t = cost / unit;
    switch (d->kind) {
    case RTI_DECAY_BINARY:
        return cost <= rti_limit_up(d->cutoff * unit) ? 1.0 : 0.0;
    case RTI_DECAY_LINEAR:
        return t <= d->cutoff ? 1.0 - t / d->cutoff : 0.0;
    case RTI_DECAY_EXPONENTIAL:
        return exp(-d->value * t);
    case RTI_DECAY_POWER:
        return t <= 1.0 ? 1.0 : pow(t, -d->value);
    case RTI_DECAY_STEPPED: {
        /* in cost units, as binary decay and the bands: a time at a step
         * may come out a last bit below it in t */
        double w = 1.0;
        for (int k = 0; k < d->n_steps && cost >= rti_limit_down(d->steps[k] * unit); k++)
            w = d->weights[k];
        return w;
    }
    case RTI_DECAY_LOGISTIC:
        return logistic(t, d->cutoff, d->value);
    case RTI_DECAY_GAUSSIAN:
        return exp(-(t * t) / (2.0 * d->value * d->value));
    case RTI_DECAY_BANDS:
        for (int k = 0; k < d->n_steps; k++)
            if (cost <= rti_limit_up(d->steps[k] * unit))
                return d->weights[k];
        return 0.0;
    default:
        return NAN;
    }
}

static const char *check_steps(const rti_decay *d)
{
    if (d->n_steps < 1 || d->n_steps > RTI_DECAY_MAX_STEPS)
        return "steps must hold 1 to 16 values, as many as weights";
    for (int k = 0; k < d->n_steps; k++) {
        if (!(d->steps[k] > 0) || !isfinite(d->steps[k]))
            return "steps must be finite and > 0";
        if (k > 0 && !(d->steps[k] > d->steps[k - 1]))
            return "steps must increase";
        if (!(d->weights[k] >= 0 && d->weights[k] <= 1))
            return "weights must be between 0 and 1";
    }
    return NULL;
}

const char *rti_decay_check(const rti_decay *d)
{
    switch (d->kind) {
    case RTI_DECAY_BINARY:
    case RTI_DECAY_LINEAR:
        return d->cutoff > 0 && isfinite(d->cutoff) ? NULL : "cutoff must be finite and > 0";
    case RTI_DECAY_EXPONENTIAL:
    case RTI_DECAY_POWER:
        return d->value > 0 && isfinite(d->value) ? NULL : "decay_value must be finite and > 0";
    case RTI_DECAY_GAUSSIAN:
        return d->value > 0 && isfinite(d->value)
                   ? NULL
                   : "decay_value (the Gaussian's sigma) must be finite and > 0";
    case RTI_DECAY_LOGISTIC:
        if (!(d->cutoff > 0) || !isfinite(d->cutoff))
            return "cutoff (the logistic's inflection point) must be finite and > 0";
        return d->value > 0 && isfinite(d->value) ? NULL
                                                  : "sd (the logistic's steepness) must be > 0";
    case RTI_DECAY_STEPPED:
    case RTI_DECAY_BANDS:
        return check_steps(d);
    default:
        return "unknown decay function";
    }
}

void rti_decay_e2sfca(rti_decay *d)
{
    *d = (rti_decay){.kind = RTI_DECAY_BANDS,
                     .n_steps = 3,
                     .steps = {10.0, 20.0, 30.0},
                     .weights = {1.0, 0.68, 0.22}};
}
