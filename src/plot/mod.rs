//! Charts, generic over plotters' `DrawingBackend`: the same function draws onto a browser
//! canvas and into an SVG string.
