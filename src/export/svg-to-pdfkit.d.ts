/// <reference types="pdfkit" />
/**
 * Types for `svg-to-pdfkit` (it ships none): the part of its API the PDF writer uses. Its options are
 * described in the package README; sizes are in PDF points when `assumePt` is true.
 */
declare module 'svg-to-pdfkit' {
  interface SvgToPdfOptions {
    /** Viewport size; the SVG's viewBox is fitted into it. Defaults to the page size. */
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    /** Treat SVG px as PDF points (otherwise 1px = 0.75pt). */
    assumePt?: boolean;
    /** Choose a font registered in the document for an SVG font-family; returns its name. */
    fontCallback?: (
      family: string,
      bold: boolean,
      italic: boolean,
      options: { fauxBold: boolean; fauxItalic: boolean },
    ) => string;
    warningCallback?: (message: string) => void;
    precision?: number;
  }

  function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x?: number,
    y?: number,
    options?: SvgToPdfOptions,
  ): void;

  export = SVGtoPDF;
}
