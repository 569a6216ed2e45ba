using TorchSharp;
using static TorchSharp.torch;

namespace Streamer.Models.Qwen25Omni;

/// <summary>
/// RungeKutta4ODESolver of the reference: the 3/8-rule fourth-order step between consecutive time
/// points, k1 = f(t0, y), k2 = f(t0 + h/3, y + h k1/3), k3 = f(t0 + 2h/3, y + h (k2 - k1/3)),
/// k4 = f(t1, y + h (k1 - k2 + k3)), y += h (k1 + 3 (k2 + k3) + k4) / 8. Time points are 0-dim
/// tensors so the arithmetic stays in the state's dtype, as in the reference.
/// </summary>
public static class RungeKutta4OdeSolver
{
    private const double OneThird = 1.0 / 3;
    private const double TwoThirds = 2.0 / 3;

    /// <summary>Integrates from <paramref name="initial"/> over every time point and returns the state at the last one.</summary>
    /// <param name="function">f(t, y), t a 0-dim tensor; its result is disposed by the solver's scope</param>
    /// <param name="timePoints">1-D, increasing</param>
    public static Tensor IntegrateToEnd(Func<Tensor, Tensor, Tensor> function, Tensor initial, Tensor timePoints)
    {
        ArgumentNullException.ThrowIfNull(function);
        using var scope = NewDisposeScope();
        var y = initial.alias();
        var n = timePoints.shape[0];
        for (var i = 0; i + 1 < n; i++)
        {
            using var stepScope = NewDisposeScope();
            var (t0, t1) = (timePoints[i], timePoints[i + 1]);
            var h = t1 - t0;
            var k1 = function(t0, y);
            var k2 = function(t0 + h * OneThird, y + h * k1 * OneThird);
            var k3 = function(t0 + h * TwoThirds, y + h * (k2 - k1 * OneThird));
            var k4 = function(t1, y + h * (k1 - k2 + k3));
            var delta = (k1 + (k2 + k3) * 3 + k4) * h / 8;
            y = (y + delta).MoveToOuterDisposeScope();
        }
        return y.MoveToOuterDisposeScope();
    }
}
