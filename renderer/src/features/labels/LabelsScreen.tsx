import { useCallback, useState } from 'react';
import { BatchPrint } from './BatchPrint';
import { LabelDesigner } from './LabelDesigner';
import { LabelPreview } from './LabelPreview';
import { PrinterSetupPanel } from './PrinterSetupPanel';
import { PrintHistory } from './PrintHistory';

/** Claim labels: preview at true size, the printer, batch print of an order, and the print history. */
export function LabelsScreen() {
  // Bumped after every print so the history reloads.
  const [printed, setPrinted] = useState(0);
  const onPrinted = useCallback(() => setPrinted((n) => n + 1), []);
  return (
    <section aria-labelledby="labels-title" className="labels">
      <header className="screen-header">
        <h1 id="labels-title">Labels</h1>
      </header>
      <div className="labels-grid">
        <LabelPreview />
        <div className="labels-side">
          <PrinterSetupPanel onPrinted={onPrinted} />
          <BatchPrint onPrinted={onPrinted} />
        </div>
      </div>
      <LabelDesigner onSaved={onPrinted} />
      <PrintHistory refresh={printed} onPrinted={onPrinted} />
    </section>
  );
}
